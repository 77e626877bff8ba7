package dev.rolloutbatch.conversation;

import java.util.List;

/**
 * One message of a conversation, in the OpenAI chat shape.
 *
 * @param role       system, user, assistant or tool
 * @param name       optional participant name
 * @param toolCalls  the assistant's tool calls (empty when none)
 * @param toolCallId for a tool message, the call it answers
 */
public record ChatMessage(String role, String content, String name, List<ToolCall> toolCalls, String toolCallId) {

    public ChatMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content, null, List.of(), null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content, null, List.of(), null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content, null, List.of(), null);
    }

    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage("assistant", content, null, toolCalls, null);
    }

    public static ChatMessage tool(String toolCallId, String content) {
        return new ChatMessage("tool", content, null, List.of(), toolCallId);
    }
}
