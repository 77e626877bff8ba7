package dev.rolloutbatch.agent;

import org.jspecify.annotations.Nullable;

import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.LlmCallRecord;

/**
 * @param call the completion request that produced the message (every policy reports one, the scripted one with
 *             estimated usage), or null when none was made
 */
public record AgentTurn(ChatMessage assistant, @Nullable LlmCallRecord call) {
}
