package dev.rolloutbatch.collect;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.rolloutbatch.episode.EpisodeRepository;
import dev.rolloutbatch.episode.EpisodeResult;
import dev.rolloutbatch.episode.EpisodeRunner;
import dev.rolloutbatch.episode.EpisodeStatus;

/**
 * Step 2: runs the run's pending episodes in parallel. Each call of {@link #execute} waits for progress for at
 * most one progress interval, counts what finished into the step execution (so the job repository shows
 * progress) and logs a progress line; the step ends when every episode has ended.
 * <p>
 * On a restart, episodes left running by a dead process are returned to pending and their partial
 * conversations marked aborted before anything runs. The step runs without a database transaction of its own:
 * every write is one of the episode runner's short transactions.
 */
class ExecuteEpisodesTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ExecuteEpisodesTasklet.class);

    private final CollectParameters parameters;
    private final RunRepository runs;
    private final EpisodeRepository episodes;
    private final EpisodeRunner runner;
    private final CollectProperties properties;
    private final String workerId;
    private EpisodeDispatcher dispatcher;
    private ProgressReporter progress;
    private long lastReport;

    ExecuteEpisodesTasklet(CollectParameters parameters, RunRepository runs, EpisodeRepository episodes,
            EpisodeRunner runner, CollectProperties properties, String workerId) {
        this.parameters = parameters;
        this.runs = runs;
        this.episodes = episodes;
        this.runner = runner;
        this.properties = properties;
        this.workerId = workerId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        if (dispatcher == null) {
            start(contribution.getStepExecution().getJobExecution());
        }
        long interval = properties.progressInterval().toMillis();
        dispatcher.awaitProgress(interval);
        EpisodeResult result;
        while ((result = dispatcher.poll()) != null) {
            contribution.incrementReadCount();
            if (result.status() == EpisodeStatus.COMPLETED) {
                contribution.incrementWriteCount(1);
            }
            else {
                contribution.incrementFilterCount(1);
            }
        }
        if (dispatcher.failure() != null) {
            throw new IllegalStateException("episodes cannot be recorded: " + dispatcher.failure().getMessage()
                    + " (restart the same command to resume)", dispatcher.failure());
        }
        boolean done = dispatcher.isDone();
        if (done || System.currentTimeMillis() - lastReport >= interval) {
            progress.report();
            lastReport = System.currentTimeMillis();
        }
        if (!done) {
            return RepeatStatus.CONTINUABLE;
        }
        if (dispatcher.stopReason() != null) {
            log.warn("Run stopped early ({}): the episodes not run stay pending", dispatcher.stopReason());
        }
        return RepeatStatus.FINISHED;
    }

    private void start(JobExecution job) {
        long runId = runs.findByJobInstance(job.getJobInstance().getInstanceId())
            .orElseThrow(() -> new IllegalStateException("the run was not planned"));
        runs.attachExecution(runId, job.getId(), CollectJobConfiguration.parametersJson(job.getJobParameters()));
        int requeued = episodes.requeueInterrupted(runId);
        if (requeued > 0) {
            log.info("Run {}: {} episodes interrupted by an earlier process will run again", runId, requeued);
        }
        int retried = episodes.requeueInfrastructureFailures(runId);
        if (retried > 0) {
            log.info("Run {}: {} episodes that failed for infrastructure reasons will run again", runId, retried);
        }
        List<Long> pending = episodes.pendingIds(runId);
        log.info("Run {}: {} episodes to run, {} at a time", runId, pending.size(), parameters.concurrency());
        progress = new ProgressReporter(runs, runId);
        lastReport = System.currentTimeMillis();
        RunRepository.Spend spent = runs.spend(runId);
        if (spent.costUsd() != null && spent.costUsd().signum() > 0) {
            log.info("Run {}: {} USD already spent by earlier attempts{}", runId,
                    spent.costUsd().stripTrailingZeros().toPlainString(), parameters.budgetUsd() == null ? ""
                            : " (budget " + parameters.budgetUsd().toPlainString() + " USD)");
        }
        dispatcher = new EpisodeDispatcher(pending, parameters.concurrency(), episodes, runner, workerId,
                new RunGuard(parameters.budgetUsd(), spent.costUsd(), properties.circuitBreakerCalls()));
        dispatcher.start();
    }
}
