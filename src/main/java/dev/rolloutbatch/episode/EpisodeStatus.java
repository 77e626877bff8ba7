package dev.rolloutbatch.episode;

import java.util.Locale;

public enum EpisodeStatus {
    PENDING, RUNNING,
    /** The agent finished and was graded; success may still be false. */
    COMPLETED,
    /** No result could be had (LLM unavailable, context too long, environment error); the reason is recorded. */
    FAILED, TIMEOUT, CANCELLED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EpisodeStatus fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }
}
