package dev.rolloutbatch.agent;

import dev.rolloutbatch.conversation.LlmCallRecord;

/**
 * A policy could not produce a turn. The episode ends as failed with {@link #getMessage()} as its reason; the
 * failed request, if any, is still logged.
 */
public class PolicyException extends RuntimeException {

    private final LlmCallRecord failedCall;

    public PolicyException(String message, LlmCallRecord failedCall, Throwable cause) {
        super(message, cause);
        this.failedCall = failedCall;
    }

    public PolicyException(String message) {
        this(message, null, null);
    }

    public LlmCallRecord failedCall() {
        return failedCall;
    }
}
