package dev.rolloutbatch.collect;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.batch.integration.partition.RemotePartitioningWorkerStepBuilderFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.dsl.IntegrationFlow;

import dev.rolloutbatch.distribution.PartitionChannels;
import dev.rolloutbatch.episode.EpisodeRepository;
import dev.rolloutbatch.episode.EpisodeRunner;
import dev.rolloutbatch.episode.ProcessName;
import dev.rolloutbatch.launch.GracefulShutdown;

/**
 * The {@code worker} profile: runs the partitions of distributed collect runs that arrive from the broker, each
 * with the same tasklet as the execute step of a run in one process, on its slice of the run's episodes. The
 * worker launches no job (application-worker.yml) and stays up until it is stopped.
 */
@Configuration(proxyBeanMethods = false)
@Profile("worker")
class PartitionWorkerConfiguration {

    /** The worker step's name, which is also its bean name: Spring Batch's request handler finds it by that. */
    static final String WORKER_STEP = "executePartition";

    private static final String STEP_REQUESTS = "partitionStepRequests";

    @Bean
    RemotePartitioningWorkerStepBuilderFactory remotePartitioningWorkerStepBuilderFactory(
            JobRepository jobRepository) {
        return new RemotePartitioningWorkerStepBuilderFactory(jobRepository);
    }

    @Bean(STEP_REQUESTS)
    DirectChannel partitionStepRequests() {
        return new DirectChannel();
    }

    @Bean(WORKER_STEP)
    Step executePartition(RemotePartitioningWorkerStepBuilderFactory steps,
            @Qualifier(STEP_REQUESTS) DirectChannel stepRequests, ExecuteEpisodesTasklet executePartitionTasklet) {
        return steps.get(WORKER_STEP)
            .inputChannel(stepRequests)
            .tasklet(executePartitionTasklet, new ResourcelessTransactionManager())
            .build();
    }

    @Bean
    IntegrationFlow partitionRequestsThroughGate(JobRepository jobRepository, DataSource dataSource,
            GracefulShutdown shutdown, @Qualifier(STEP_REQUESTS) DirectChannel stepRequests) {
        return IntegrationFlow.from(PartitionChannels.INBOUND)
            .handle(new PartitionGate(jobRepository, dataSource, shutdown, stepRequests))
            .get();
    }

    @Bean
    @StepScope
    ExecuteEpisodesTasklet executePartitionTasklet(CollectParameters collectParameters,
            @Value("#{stepExecution.executionContext}") ExecutionContext partition, RunRepository runs,
            EpisodeRepository episodes, EpisodeRunner runner, CollectProperties properties,
            GracefulShutdown shutdown) {
        return new ExecuteEpisodesTasklet(collectParameters, runs, episodes, runner, properties,
                ProcessName.current(), shutdown, EpisodeBuckets.slice(partition));
    }
}
