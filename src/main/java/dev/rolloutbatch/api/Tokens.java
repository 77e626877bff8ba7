package dev.rolloutbatch.api;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Tokens in non-overlapping buckets: {@code input = inputUncached + cacheRead + cacheWrite}; {@code reasoning} is
 * part of {@code output}; {@code total = input + output}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record Tokens(long inputUncached, long cacheRead, long cacheWrite, long output, long reasoning, long input,
        long total) {

    static Tokens of(long inputUncached, long cacheRead, long cacheWrite, long output, long reasoning) {
        long input = inputUncached + cacheRead + cacheWrite;
        return new Tokens(inputUncached, cacheRead, cacheWrite, output, reasoning, input, input + output);
    }
}
