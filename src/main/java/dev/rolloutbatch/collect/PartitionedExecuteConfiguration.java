package dev.rolloutbatch.collect;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.integration.partition.RemotePartitioningManagerStepBuilderFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.MessageChannel;

import dev.rolloutbatch.distribution.DistributionProperties;
import dev.rolloutbatch.distribution.PartitionChannels;

/**
 * {@code rollout.distribution.enabled=true}: the collect job's execute step is the manager of a remote partitioned
 * step. It splits the run's episodes into {@code rollout.distribution.partitions} slices ({@link EpisodeBuckets}),
 * sends one request per slice to the workers and polls the job repository until every partition has ended. Like
 * the step it replaces it always starts on a restart: every partition is sent again, and one with nothing left
 * to run ends at once (that is how infrastructure failures of a completed partition run again).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("rollout.distribution.enabled")
class PartitionedExecuteConfiguration {

    @Bean
    RemotePartitioningManagerStepBuilderFactory remotePartitioningManagerStepBuilderFactory(
            JobRepository jobRepository) {
        return new RemotePartitioningManagerStepBuilderFactory(jobRepository);
    }

    @Bean
    Step executeStep(RemotePartitioningManagerStepBuilderFactory steps,
            @Qualifier(PartitionChannels.OUTBOUND) MessageChannel requests, DistributionProperties distribution,
            RunRepository runs, CollectProperties properties) {
        return steps.get("execute")
            .partitioner(PartitionWorkerConfiguration.WORKER_STEP, new EpisodeBuckets())
            .gridSize(distribution.partitions())
            .outputChannel(requests)
            .pollInterval(distribution.pollInterval().toMillis())
            .timeout(distribution.timeoutMillis())
            .listener(new PartitionedRunListener(runs, properties, distribution))
            .allowStartIfComplete(true)
            .build();
    }
}
