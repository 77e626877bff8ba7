package dev.rolloutbatch.environment.simulated;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Simulated time: a fixed, seed-dependent origin plus a counter of seconds. */
final class SimulatedTime {

    private static final Instant ORIGIN = Instant.parse("2025-01-06T09:00:00Z");

    private SimulatedTime() {
    }

    static Instant instant(long seed, long seconds) {
        return ORIGIN.plus(Math.floorMod(seed, 5000L), ChronoUnit.MINUTES).plusSeconds(seconds);
    }

    static String timestamp(long seed, long seconds) {
        return instant(seed, seconds).toString();
    }

    /** A kubectl-style age: 45s, 12m, 3h5m, 2d. */
    static String age(long seconds) {
        if (seconds < 120) {
            return Math.max(seconds, 1) + "s";
        }
        if (seconds < 600) {
            long s = seconds % 60;
            return seconds / 60 + "m" + (s == 0 ? "" : s + "s");
        }
        if (seconds < 3 * 3600) {
            return seconds / 60 + "m";
        }
        return seconds / 3600 + "h";
    }
}
