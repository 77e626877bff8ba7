package dev.rolloutbatch.conversation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Every timestamp goes to the database as UTC. */
public final class Timestamps {

    private Timestamps() {
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
