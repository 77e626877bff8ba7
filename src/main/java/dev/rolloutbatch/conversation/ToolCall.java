package dev.rolloutbatch.conversation;

/**
 * A function tool call as the model sent it.
 *
 * @param arguments the raw JSON string, kept exactly as received
 */
public record ToolCall(String id, String name, String arguments) {
}
