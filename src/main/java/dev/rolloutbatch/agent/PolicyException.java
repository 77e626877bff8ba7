package dev.rolloutbatch.agent;

import dev.rolloutbatch.conversation.LlmCallRecord;

/**
 * A policy could not produce a turn. The episode ends as failed with {@link #getMessage()} as its reason and
 * {@link #kind()} as its failure class; the failed request, if any, is still logged.
 */
public class PolicyException extends RuntimeException {

    /** Why no turn could be had: the endpoint's fault (infrastructure) unless it is the conversation's. */
    public enum Kind {
        /** Connection refused or dropped, DNS failure, timeouts. */
        UNREACHABLE,
        /** 401/403: a missing, wrong or revoked key. */
        AUTH,
        /** 429 after every retry, 402: rate limit or quota. */
        QUOTA,
        /** 5xx after every retry, or a request the endpoint refused. */
        SERVER_ERROR,
        /** No valid completion in the answer: HTML, garbage, truncated JSON, 404 (not an OpenAI-compatible URL). */
        MALFORMED_RESPONSE,
        /** The conversation outgrew the model's context: the agent's doing, not the endpoint's. */
        CONTEXT_LENGTH
    }

    private final LlmCallRecord failedCall;
    private final Kind kind;

    public PolicyException(String message, Kind kind, LlmCallRecord failedCall, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.failedCall = failedCall;
    }

    public PolicyException(String message, Kind kind) {
        this(message, kind, null, null);
    }

    public LlmCallRecord failedCall() {
        return failedCall;
    }

    public Kind kind() {
        return kind;
    }
}
