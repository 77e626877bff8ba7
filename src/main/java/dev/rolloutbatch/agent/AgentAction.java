package dev.rolloutbatch.agent;

import org.jspecify.annotations.Nullable;

/**
 * What the episode runner does with one piece of an assistant turn: send {@code action} to the environment, or,
 * when the turn could not be understood, answer with {@code error} (which costs the step, as in AIOpsLab).
 *
 * @param toolCallId the tool call this answers (tool protocol), or null (text protocol)
 */
public record AgentAction(@Nullable String action, @Nullable String error, @Nullable String toolCallId) {

    public static AgentAction call(String action, String toolCallId) {
        return new AgentAction(action, null, toolCallId);
    }

    public static AgentAction invalid(String error, String toolCallId) {
        return new AgentAction(null, error, toolCallId);
    }

    public boolean isValid() {
        return action != null;
    }
}
