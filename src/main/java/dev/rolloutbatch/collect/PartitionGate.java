package dev.rolloutbatch.collect;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;

import dev.rolloutbatch.launch.AdvisoryLock;
import dev.rolloutbatch.launch.GracefulShutdown;

/**
 * Stands between the broker and Spring Batch's request handler on a worker. A partition request runs only while
 * this process holds the partition's lock ({@link AdvisoryLock}); a request for a partition whose job execution
 * has ended (the manager gave up, or was recovered after it died) is dropped; a worker that is shutting down
 * takes no new partition (the request goes back to the queue). The partition is a job run for
 * {@link GracefulShutdown}: SIGTERM stops it the way it stops a collect run in one process.
 */
final class PartitionGate implements MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(PartitionGate.class);

    private final JobRepository jobRepository;
    private final DataSource dataSource;
    private final GracefulShutdown shutdown;
    private final MessageChannel stepRequests;

    PartitionGate(JobRepository jobRepository, DataSource dataSource, GracefulShutdown shutdown,
            MessageChannel stepRequests) {
        this.jobRepository = jobRepository;
        this.dataSource = dataSource;
        this.shutdown = shutdown;
        this.stepRequests = stepRequests;
    }

    @Override
    public void handleMessage(Message<?> message) {
        if (!(message.getPayload() instanceof StepExecutionRequest request)) {
            log.error("Dropping a message that is no partition request: {}", message.getPayload());
            return;
        }
        requireRunning();
        StepExecution partition = jobRepository.getStepExecution(request.getStepExecutionId());
        if (!runnable(partition, request)) {
            return;
        }
        long jobInstanceId = partition.getJobExecution().getJobInstance().getInstanceId();
        try (AdvisoryLock lock = AdvisoryLock.acquire(dataSource,
                "collect-partition:" + jobInstanceId + ":" + partition.getStepName(), shutdown::isRunning)) {
            if (lock == null) {
                throw new IllegalStateException("this worker is shutting down while it waited for partition "
                        + partition.getStepName() + ": the request goes back to the queue");
            }
            // Another worker may have ended the partition while this one waited for its lock.
            if (!runnable(jobRepository.getStepExecution(request.getStepExecutionId()), request)) {
                return;
            }
            log.info("Running partition {} (step execution {}) of job execution {}", partition.getStepName(),
                    partition.getId(), partition.getJobExecutionId());
            shutdown.jobStarted();
            try {
                stepRequests.send(message);
            }
            finally {
                shutdown.jobEnded();
            }
        }
        catch (java.sql.SQLException ex) {
            throw new IllegalStateException("cannot lock partition " + partition.getStepName() + ": "
                    + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for partition " + partition.getStepName(), ex);
        }
    }

    private void requireRunning() {
        if (!shutdown.isRunning()) {
            throw new IllegalStateException("this worker is shutting down: the partition request goes back to the queue");
        }
    }

    private static boolean runnable(StepExecution partition, StepExecutionRequest request) {
        if (partition == null) {
            log.warn("Dropping {}: no such step execution", request);
            return false;
        }
        BatchStatus status = partition.getStatus();
        if (status != BatchStatus.STARTING && status != BatchStatus.STARTED) {
            log.info("Dropping {}: the partition is already {}", request, status);
            return false;
        }
        if (!partition.getJobExecution().getStatus().isRunning()) {
            log.info("Dropping {}: its job execution {} is {}", request, partition.getJobExecutionId(),
                    partition.getJobExecution().getStatus());
            return false;
        }
        return true;
    }
}
