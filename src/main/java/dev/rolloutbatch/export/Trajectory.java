package dev.rolloutbatch.export;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** An exported episode with its whole conversation: messages in order and the LLM calls that produced them. */
record Trajectory(EpisodeRow episode, List<Message> messages, List<LlmCall> calls) {

    /** One message; {@code toolCalls} is null when the message has none. */
    record Message(String role, String content, String name, String toolCallId, List<ToolCall> toolCalls, int step) {
    }

    /** A tool call in OpenAI's shape; {@code arguments} is the raw JSON string the model sent. */
    record ToolCall(String id, String type, String name, String arguments) {
    }

    /**
     * One completion request.
     *
     * @param tokenIds JSON with the prompt and response token ids, or null when not captured
     * @param logprobs JSON with the response tokens' logprobs, or null
     */
    record LlmCall(UUID conversationId, int seq, long latencyMs, BigDecimal costUsd, String tokenIds,
            String logprobs) {
    }

    long latencyMs() {
        return calls.stream().mapToLong(LlmCall::latencyMs).sum();
    }

    int numTurns() {
        return (int) messages.stream().filter(m -> "assistant".equals(m.role())).count();
    }
}
