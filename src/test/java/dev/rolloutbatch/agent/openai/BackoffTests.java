package dev.rolloutbatch.agent.openai;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofSeconds(30));

    private static Function<String, String> headers(Map<String, String> values) {
        return values::get;
    }

    @Test
    void retryAfterSeconds() {
        Duration delay = backoff.delay(1, headers(Map.of("retry-after", "3")), Instant.now());
        assertThat(delay).isBetween(Duration.ofSeconds(3), Duration.ofMillis(3250));
    }

    @Test
    void retryAfterHttpDate() {
        Instant now = Instant.parse("2026-11-25T03:00:00Z");
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(5).atOffset(ZoneOffset.UTC));
        assertThat(Backoff.retryAfter(headers(Map.of("retry-after", date)), now)).contains(Duration.ofSeconds(5));
    }

    @Test
    void retryAfterMsWinsOverRetryAfter() {
        assertThat(Backoff.retryAfter(headers(Map.of("retry-after-ms", "1500.5", "retry-after", "9")), Instant.now()))
            .contains(Duration.ofMillis(1501));
    }

    @Test
    void aServerAskingTooMuchIsCappedAtMaxRetryAfter() {
        Duration delay = backoff.delay(1, headers(Map.of("retry-after", "3600")), Instant.now());
        assertThat(delay).isBetween(Duration.ofSeconds(30), Duration.ofMillis(30_250));
    }

    @Test
    void exponentialWithJitterWithinBounds() {
        for (int i = 0; i < 50; i++) {
            assertThat(backoff.delay(1, null, Instant.now())).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
            assertThat(backoff.delay(3, headers(Map.of()), Instant.now()))
                .isBetween(Duration.ofMillis(1000), Duration.ofMillis(2000));
            assertThat(backoff.delay(30, null, Instant.now())).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
        }
    }

    @Test
    void garbageHeaderFallsBackToExponential() {
        assertThat(Backoff.retryAfter(headers(Map.of("retry-after", "soon")), Instant.now())).isEmpty();
    }
}
