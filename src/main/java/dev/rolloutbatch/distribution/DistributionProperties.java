package dev.rolloutbatch.distribution;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rollout.distribution.*}: whether the collect job's execute step is partitioned over worker processes, and
 * how. The broker itself is Spring Boot's {@code spring.rabbitmq.*}.
 *
 * @param enabled       the manager side: the execute step sends its partitions to workers instead of running them
 * @param partitions    how many slices of the run's episodes are sent (a restarted run keeps its first count)
 * @param timeout       how long the manager waits for all partitions to end before failing the step; 0 waits forever
 * @param pollInterval  how often the manager reads the partitions' state from the job repository
 * @param requestsQueue the RabbitMQ queue partition requests go through (declared by both sides)
 */
@ConfigurationProperties("rollout.distribution")
public record DistributionProperties(@DefaultValue("false") boolean enabled, @DefaultValue("8") int partitions,
        @DefaultValue("24h") Duration timeout, @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("rollout-batch.partitions.requests") String requestsQueue) {

    public DistributionProperties {
        if (partitions < 1) {
            throw new IllegalArgumentException("rollout.distribution.partitions must be 1 or more (was " + partitions
                    + ")");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("rollout.distribution.timeout must not be negative (was " + timeout + ")");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("rollout.distribution.poll-interval must be positive (was "
                    + pollInterval + ")");
        }
        if (requestsQueue == null || requestsQueue.isBlank()) {
            throw new IllegalArgumentException("rollout.distribution.requests-queue must not be empty");
        }
    }

    /** The manager's wait in milliseconds, -1 for no limit (Spring Batch's convention). */
    public long timeoutMillis() {
        return timeout.isZero() ? -1 : timeout.toMillis();
    }
}
