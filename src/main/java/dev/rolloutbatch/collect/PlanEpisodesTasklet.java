package dev.rolloutbatch.collect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.environment.Environments;
import dev.rolloutbatch.episode.EpisodeRepository;

/**
 * Step 1: creates the run (with its problem list) and one pending episode per (problem, sample), all in the
 * step's one transaction. The list was validated before the job started; it is read again here so that the plan
 * is what is on disk, and refused if its content is no longer the one that identifies the run.
 */
class PlanEpisodesTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(PlanEpisodesTasklet.class);

    static final String RUN_ID = "runId";

    private final CollectParameters parameters;
    private final ProblemCatalog catalog;
    private final Environments environments;
    private final RunRepository runs;
    private final EpisodeRepository episodes;

    PlanEpisodesTasklet(CollectParameters parameters, ProblemCatalog catalog, Environments environments,
            RunRepository runs, EpisodeRepository episodes) {
        this.parameters = parameters;
        this.catalog = catalog;
        this.environments = environments;
        this.runs = runs;
        this.episodes = episodes;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        JobExecution job = contribution.getStepExecution().getJobExecution();
        long instanceId = job.getJobInstance().getInstanceId();
        if (runs.findByJobInstance(instanceId).isPresent()) {
            return RepeatStatus.FINISHED;
        }
        Path path = Path.of(parameters.problems());
        ProblemList.Content list = ProblemList.content(path);
        String identity = job.getJobParameters().getString(CollectParameters.PROBLEMS_SHA256);
        if (identity != null && !identity.equals(list.sha256())) {
            throw new IllegalStateException("the problem list " + path + " changed after the run was started;"
                    + " run the command again to start the night of the new list");
        }
        List<ProblemListEntry> entries = ProblemList.read(path, list.text(), catalog,
                environments.get(parameters.environment()).servedProblemIds(), parameters.environment());
        String parametersJson = CollectJobConfiguration.parametersJson(job.getJobParameters());
        long runId = runs.create(instanceId, job.getId(), parameters, parametersJson, list);
        List<EpisodeRepository.Planned> plan = new ArrayList<>();
        for (ProblemListEntry entry : entries) {
            Problem problem = catalog.get(entry.problemId());
            int samples = entry.samples() != null ? entry.samples() : parameters.samples();
            int maxSteps = entry.maxSteps() != null ? entry.maxSteps() : parameters.maxSteps();
            for (int sample = 0; sample < samples; sample++) {
                long seed = EpisodeSeeds.derive(parameters.seed(), problem.id(), sample);
                plan.add(new EpisodeRepository.Planned(problem.id(), problem.taskType().id(), problem.application(),
                        sample, "run-" + runId + "/" + problem.id(), seed, parameters.policy(),
                        parameters.environment(), parameters.model(), maxSteps, parameters.timeoutSeconds(),
                        parameters.agentSettings(seed)));
            }
        }
        int planned = episodes.plan(runId, plan);
        job.getExecutionContext().putLong(RUN_ID, runId);
        contribution.incrementWriteCount(planned);
        log.info("Run {} planned: {} episodes of {} problems from {} (policy {}, model {}, environment {})", runId,
                planned, entries.size(), parameters.problems(), parameters.policy(), parameters.model(),
                parameters.environment());
        return RepeatStatus.FINISHED;
    }
}
