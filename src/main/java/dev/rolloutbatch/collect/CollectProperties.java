package dev.rolloutbatch.collect;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param progressInterval          how often a running collect job logs its progress
 * @param maxInfrastructureFailures episodes that may fail for infrastructure reasons (endpoint, environment)
 *                                  without failing the run; past it the run ends failed (exit 1) and the same
 *                                  command runs them again
 * @param circuitBreakerCalls       LLM calls that may fail, before the first valid completion, until the run
 *                                  gives up on the endpoint (no new episodes; running ones stop); 0: never
 */
@ConfigurationProperties("rollout.collect")
record CollectProperties(@DefaultValue("10s") Duration progressInterval,
        @DefaultValue("0") int maxInfrastructureFailures, @DefaultValue("5") int circuitBreakerCalls) {

    CollectProperties {
        if (maxInfrastructureFailures < 0) {
            throw new IllegalArgumentException("rollout.collect.max-infrastructure-failures must be 0 or more");
        }
        if (circuitBreakerCalls < 0) {
            throw new IllegalArgumentException("rollout.collect.circuit-breaker-calls must be 0 or more");
        }
    }
}
