package dev.rolloutbatch.agent.openai;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * How long to wait before the next attempt: what the server asked for ({@code retry-after-ms}, or
 * {@code Retry-After} in seconds or as an HTTP date), else exponential backoff with jitter.
 */
record Backoff(Duration initial, Duration max, Duration maxRetryAfter) {

    /**
     * @param attempt the attempt that just failed, from 1
     * @param header  the failed response's header values by name (case-insensitive), null when there was none
     */
    Duration delay(int attempt, Function<String, String> header, Instant now) {
        Optional<Duration> asked = header == null ? Optional.empty() : retryAfter(header, now);
        if (asked.isPresent()) {
            Duration wait = asked.get().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked.get();
            // A little jitter on top (never below what was asked), so that waiting clients do not return together.
            long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(250, wait.toMillis() / 10 + 1)));
            return wait.plusMillis(jitter);
        }
        long base = initial.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(Math.max(base, 1), max.toMillis());
        // "Equal jitter": half fixed, half random.
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    static Optional<Duration> retryAfter(Function<String, String> header, Instant now) {
        String ms = header.apply("retry-after-ms");
        if (ms != null) {
            try {
                double value = Double.parseDouble(ms.strip());
                if (value >= 0) {
                    return Optional.of(Duration.ofMillis((long) Math.ceil(value)));
                }
            }
            catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String after = header.apply("retry-after");
        if (after == null || after.isBlank()) {
            return Optional.empty();
        }
        try {
            double seconds = Double.parseDouble(after.strip());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
        }
        catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(after.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration until = Duration.between(now, at);
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            }
            catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
