package dev.rolloutbatch.collect;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.rolloutbatch.agent.AgentSettingsJson;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.environment.Environments;

import static dev.rolloutbatch.conversation.Timestamps.utc;

/**
 * Step 1: creates the run and one pending episode per (problem, sample), all in the step's one transaction.
 * The list was validated before the job started; it is read again here so that the plan is what is on disk.
 */
class PlanEpisodesTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(PlanEpisodesTasklet.class);

    static final String RUN_ID = "runId";

    private final CollectParameters parameters;
    private final ProblemCatalog catalog;
    private final Environments environments;
    private final RunRepository runs;
    private final JdbcTemplate jdbc;

    PlanEpisodesTasklet(CollectParameters parameters, ProblemCatalog catalog, Environments environments,
            RunRepository runs, JdbcTemplate jdbc) {
        this.parameters = parameters;
        this.catalog = catalog;
        this.environments = environments;
        this.runs = runs;
        this.jdbc = jdbc;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        JobExecution job = contribution.getStepExecution().getJobExecution();
        long instanceId = job.getJobInstance().getInstanceId();
        if (runs.findByJobInstance(instanceId).isPresent()) {
            return RepeatStatus.FINISHED;
        }
        List<ProblemListEntry> entries = ProblemList.read(Path.of(parameters.problems()), catalog,
                environments.get(parameters.environment()).servedProblemIds(), parameters.environment());
        String parametersJson = CollectJobConfiguration.parametersJson(job.getJobParameters());
        long runId = runs.create(instanceId, job.getId(), parameters, parametersJson);
        List<Object[]> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (ProblemListEntry entry : entries) {
            Problem problem = catalog.get(entry.problemId());
            int samples = entry.samples() != null ? entry.samples() : parameters.samples();
            int maxSteps = entry.maxSteps() != null ? entry.maxSteps() : parameters.maxSteps();
            for (int sample = 0; sample < samples; sample++) {
                long seed = EpisodeSeeds.derive(parameters.seed(), problem.id(), sample);
                rows.add(new Object[] { runId, problem.id(), problem.taskType().id(), problem.application(), sample,
                        "run-" + runId + "/" + problem.id(), seed, parameters.policy(), parameters.environment(),
                        parameters.model(), maxSteps, parameters.timeoutSeconds(),
                        AgentSettingsJson.write(parameters.agentSettings(seed)), utc(now) });
            }
        }
        jdbc.batchUpdate("""
                INSERT INTO episode (run_id, source, problem_id, task_type, application, sample_index, group_id, seed,
                    status, policy, environment, model, max_steps, timeout_seconds, parameters, created_at)
                VALUES (?, 'batch', ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)""", rows);
        job.getExecutionContext().putLong(RUN_ID, runId);
        contribution.incrementWriteCount(rows.size());
        log.info("Run {} planned: {} episodes of {} problems from {} (policy {}, model {}, environment {})", runId,
                rows.size(), entries.size(), parameters.problems(), parameters.policy(), parameters.model(),
                parameters.environment());
        return RepeatStatus.FINISHED;
    }
}
