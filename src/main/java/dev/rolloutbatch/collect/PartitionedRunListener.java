package dev.rolloutbatch.collect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

import dev.rolloutbatch.distribution.DistributionProperties;

/**
 * The manager's share of a distributed execute step: attaches the job execution to the run (the partitions do not)
 * and logs the run's progress from the database while the workers run it.
 */
final class PartitionedRunListener implements StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionedRunListener.class);

    private final RunRepository runs;
    private final CollectProperties properties;
    private final DistributionProperties distribution;
    private volatile Thread progressLines;
    private volatile ProgressReporter progress;

    PartitionedRunListener(RunRepository runs, CollectProperties properties, DistributionProperties distribution) {
        this.runs = runs;
        this.properties = properties;
        this.distribution = distribution;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        JobExecution job = stepExecution.getJobExecution();
        long runId = runs.findByJobInstance(job.getJobInstance().getInstanceId())
            .orElseThrow(() -> new IllegalStateException("the run was not planned"));
        runs.attachExecution(runId, job.getId(), CollectJobConfiguration.parametersJson(job.getJobParameters()));
        RunRepository.RunTotals totals = runs.totals(runId);
        log.info("Run {}: {} of {} episodes left; sending them to the workers in up to {} partitions over queue '{}'",
                runId, totals.planned() - totals.done(), totals.planned(), distribution.partitions(),
                distribution.requestsQueue());
        ProgressReporter progress = new ProgressReporter(runs, runId);
        this.progress = progress;
        long interval = properties.progressInterval().toMillis();
        progressLines = Thread.ofPlatform().name("run-progress").daemon().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(interval);
                    progress.report();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (RuntimeException ex) {
                log.warn("Run {}: progress cannot be read: {}", runId, ex.getMessage());
            }
        });
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        Thread thread = progressLines;
        if (thread != null) {
            thread.interrupt();
        }
        if (progress != null) {
            progress.report();
        }
        return null;
    }
}
