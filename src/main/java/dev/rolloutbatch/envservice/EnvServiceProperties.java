package dev.rolloutbatch.envservice;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the environment service ({@code serve} profile).
 *
 * @param environment  the environment sessions run in
 * @param maxSessions  sessions open at once; one more is refused with 429 until one ends
 * @param idleTimeout  a session without a request for this long is closed (its episode ends as timeout)
 * @param sweepInterval how often idle sessions are looked for and live ones stamp their heartbeat
 * @param staleAfter   a running session episode whose heartbeat is older than this belongs to a server that died;
 *                     it is ended as failed (several sweep intervals)
 * @param maxSteps     the step budget of a session that does not ask for one
 * @param model        the model recorded for a session that does not name one
 */
@ConfigurationProperties("rollout.envservice")
record EnvServiceProperties(@DefaultValue("simulated") String environment, @DefaultValue("256") int maxSessions,
        @DefaultValue("10m") Duration idleTimeout, @DefaultValue("15s") Duration sweepInterval,
        @DefaultValue("2m") Duration staleAfter, @DefaultValue("30") int maxSteps,
        @DefaultValue("external") String model) {

    EnvServiceProperties {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("rollout.envservice.max-sessions must be >= 1");
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("rollout.envservice.max-steps must be >= 1");
        }
        if (staleAfter.compareTo(sweepInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("rollout.envservice.stale-after must be at least twice"
                    + " rollout.envservice.sweep-interval");
        }
    }
}
