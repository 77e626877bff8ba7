package dev.rolloutbatch.api;

import dev.rolloutbatch.environment.FixedTestEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Registers the test-only {@link FixedTestEnvironment} and {@link EchoTestPolicy}; tests select them with
 * {@link #PROPERTIES}. Once the real {@code simulated} environment and {@code scripted} policy are merged, the
 * main flow test can drop these properties and run on them.
 */
@TestConfiguration(proxyBeanMethods = false)
class ApiTestBeans {

    static final String[] PROPERTIES = { "rollout.api.environment=" + FixedTestEnvironment.NAME,
            "rollout.api.offline-policy=" + EchoTestPolicy.NAME, "rollout.api.poll-interval=100ms",
            "rollout.api.heartbeat-interval=200ms", "rollout.api.stale-after=2s",
            "spring.datasource.hikari.maximum-pool-size=8" };

    @Bean
    FixedTestEnvironment fixedTestEnvironment() {
        return new FixedTestEnvironment();
    }

    @Bean
    EchoTestPolicy echoTestPolicy() {
        return new EchoTestPolicy();
    }
}
