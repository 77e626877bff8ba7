package dev.rolloutbatch.conversation;

import java.util.Locale;

/** The life of one conversation (one episode attempt). */
public enum ConversationStatus {

    RUNNING,
    /** The agent finished: it submitted, or spent its steps; the episode has a result. */
    COMPLETED,
    /** The attempt ended without a result (LLM unavailable, timeout, environment error); the reason is on the episode. */
    FAILED,
    /** The process died or the attempt was abandoned; a later attempt of the same episode replaces it. */
    ABORTED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
