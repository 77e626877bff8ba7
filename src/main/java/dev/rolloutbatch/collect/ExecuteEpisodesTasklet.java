package dev.rolloutbatch.collect;

import java.time.Instant;
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
import dev.rolloutbatch.episode.EpisodeSlice;
import dev.rolloutbatch.episode.EpisodeStatus;
import dev.rolloutbatch.launch.GracefulShutdown;

/**
 * Step 2: runs the run's pending episodes in parallel. Each call of {@link #execute} waits for progress for at
 * most one progress interval, counts what finished into the step execution (so the job repository shows
 * progress) and logs a progress line; the step ends when every episode has ended.
 * <p>
 * On a restart, episodes left running by a dead process are returned to pending and their partial
 * conversations marked aborted before anything runs. The step runs without a database transaction of its own:
 * every write is one of the episode runner's short transactions.
 * <p>
 * The same tasklet runs one remote partition on a worker: then it runs only its slice of the run's episodes, and
 * the manager, not the partition, attaches the job execution to the run.
 */
class ExecuteEpisodesTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ExecuteEpisodesTasklet.class);

    private final CollectParameters parameters;
    private final RunRepository runs;
    private final EpisodeRepository episodes;
    private final EpisodeRunner runner;
    private final CollectProperties properties;
    private final String workerId;
    private final GracefulShutdown shutdown;
    private final EpisodeSlice slice;
    private long runId;
    private boolean stopping;
    private EpisodeDispatcher dispatcher;
    private ProgressReporter progress;
    private long lastReport;

    ExecuteEpisodesTasklet(CollectParameters parameters, RunRepository runs, EpisodeRepository episodes,
            EpisodeRunner runner, CollectProperties properties, String workerId, GracefulShutdown shutdown) {
        this(parameters, runs, episodes, runner, properties, workerId, shutdown, EpisodeSlice.WHOLE);
    }

    ExecuteEpisodesTasklet(CollectParameters parameters, RunRepository runs, EpisodeRepository episodes,
            EpisodeRunner runner, CollectProperties properties, String workerId, GracefulShutdown shutdown,
            EpisodeSlice slice) {
        this.slice = slice;
        this.parameters = parameters;
        this.runs = runs;
        this.episodes = episodes;
        this.runner = runner;
        this.properties = properties;
        this.workerId = workerId;
        this.shutdown = shutdown;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        if (dispatcher == null) {
            start(contribution.getStepExecution().getJobExecution());
        }
        noticeStopRequest();
        long interval = properties.progressInterval().toMillis();
        dispatcher.awaitProgress(stopping ? Math.min(interval, 200) : interval);
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
        // The dispatcher hears of a stop request on its own (before each episode starts), and may have ended its
        // last episodes during the wait: a run stopped that way is stopped, not finished with episodes left pending.
        noticeStopRequest();
        if (stopping) {
            return stopStep(contribution);
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

    private void noticeStopRequest() {
        if (shutdown.stopRequested() && !stopping) {
            stopping = true;
            dispatcher.stopStarting();
            log.warn("Run {}: stop requested: no new episodes start; {} in flight get until {} to finish", runId,
                    dispatcher.inFlight(), shutdown.deadline());
        }
    }

    /** Waits for the episodes in flight until the deadline, then abandons the rest and ends the step STOPPED. */
    private RepeatStatus stopStep(StepContribution contribution) {
        if (!dispatcher.isDone() && Instant.now().isBefore(shutdown.deadline())) {
            return RepeatStatus.CONTINUABLE;
        }
        int abandoned = 0;
        if (!dispatcher.isDone()) {
            dispatcher.abandonInFlight("stopped by SIGTERM: the " + shutdown.gracePeriod().toSeconds()
                    + "s grace period is over");
            abandoned = episodes.requeueInterrupted(runId, slice);
        }
        runs.markStopped(runId);
        progress.report();
        log.warn("Run {}: stopped: {} episodes were still running after the {}s grace period and were abandoned"
                + " (conversations marked aborted, their LLM calls and cost kept); they and the episodes not started"
                + " run when the same command is run again", runId, abandoned, shutdown.gracePeriod().toSeconds());
        // Spring Batch ends the step, and the job, STOPPED; a stopped job instance restarts.
        contribution.getStepExecution().setTerminateOnly();
        return RepeatStatus.CONTINUABLE;
    }

    private void start(JobExecution job) {
        runId = runs.findByJobInstance(job.getJobInstance().getInstanceId())
            .orElseThrow(() -> new IllegalStateException("the run was not planned"));
        if (slice.whole()) {
            runs.attachExecution(runId, job.getId(), CollectJobConfiguration.parametersJson(job.getJobParameters()));
        }
        int requeued = episodes.requeueInterrupted(runId, slice);
        if (requeued > 0) {
            log.info("Run {} ({}): {} episodes interrupted by an earlier process will run again", runId, slice,
                    requeued);
        }
        int retried = episodes.requeueInfrastructureFailures(runId, slice);
        if (retried > 0) {
            log.info("Run {} ({}): {} episodes that failed for infrastructure reasons will run again", runId, slice,
                    retried);
        }
        List<Long> pending = episodes.pendingIds(runId, slice);
        log.info("Run {} ({}): {} episodes to run, {} at a time", runId, slice, pending.size(),
                parameters.concurrency());
        progress = new ProgressReporter(runs, runId);
        lastReport = System.currentTimeMillis();
        RunRepository.Spend spent = runs.spend(runId);
        if (spent.costUsd() != null && spent.costUsd().signum() > 0) {
            log.info("Run {}: {} USD already spent by earlier attempts{}", runId,
                    spent.costUsd().stripTrailingZeros().toPlainString(), parameters.budgetUsd() == null ? ""
                            : " (budget " + parameters.budgetUsd().toPlainString() + " USD)");
        }
        dispatcher = new EpisodeDispatcher(pending, parameters.concurrency(), episodes, runner, workerId,
                new RunGuard(parameters.budgetUsd(), spent.costUsd(), properties.circuitBreakerCalls(),
                        slice.whole() ? null : () -> runs.spend(runId).costUsd()));
        dispatcher.stopWhen(shutdown::stopRequested);
        dispatcher.start();
    }
}
