package dev.rolloutbatch.export;

import java.util.List;

import dev.rolloutbatch.conversation.ConversationReader.LoggedCall;
import dev.rolloutbatch.conversation.ConversationReader.LoggedMessage;

/** An exported episode with its whole conversation: messages in order and the LLM calls that produced them. */
record Trajectory(EpisodeRow episode, List<LoggedMessage> messages, List<LoggedCall> calls) {

    long latencyMs() {
        return calls.stream().mapToLong(LoggedCall::latencyMs).sum();
    }

    int numTurns() {
        return (int) messages.stream().filter(m -> "assistant".equals(m.message().role())).count();
    }

    /** The finish reason of each LLM call in order ({@code length} marks a truncated generation). */
    List<String> finishReasons() {
        return calls.stream().map(LoggedCall::finishReason).toList();
    }
}
