package dev.rolloutbatch.launch;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class RunModeAutoConfigurationsTests {

    private static final String[] CANDIDATES = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
        "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.batch.autoconfigure.observation.BatchObservationAutoConfiguration",
        "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration",
        null };

    @Test
    void aBatchRunLeavesOutTheActuatorMetricsRabbitMqAndTheServersSupport() {
        assertThat(match(new MockEnvironment()))
            .containsExactly(true, false, false, false, false, false, false, false, false, true);
    }

    @Test
    void theServerKeepsTheActuatorMetricsAndItsSupportButNotRabbitMq() {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles("serve");
        assertThat(match(environment)).containsExactly(true, true, true, true, true, true, false, true, true, true);
    }

    @Test
    void aDistributedRunKeepsRabbitMq() {
        MockEnvironment worker = new MockEnvironment();
        worker.setActiveProfiles("postgres", "worker");
        assertThat(match(worker)).containsExactly(true, false, false, false, false, false, true, true, true, true);
        MockEnvironment manager = new MockEnvironment().withProperty("rollout.distribution.enabled", "true");
        assertThat(match(manager)).containsExactly(true, false, false, false, false, false, true, true, true, true);
    }

    private static boolean[] match(MockEnvironment environment) {
        RunModeAutoConfigurations filter = new RunModeAutoConfigurations();
        filter.setEnvironment(environment);
        return filter.match(CANDIDATES, null);
    }
}
