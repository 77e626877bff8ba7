package dev.rolloutbatch.collect;

import java.nio.file.Path;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.launch.JobParametersPreparer;

/**
 * A collect run is identified by its problem list's content and its run date only (both defaulted: the smoke
 * list, today in UTC), so that restarting a failed night with other tuning (concurrency, budget...) resumes the
 * same run, and one list given by another path ({@code ./jobs/smoke.csv}, an absolute path) is the same night.
 * The path itself is a non-identifying parameter.
 */
@Component
class CollectParametersPreparer implements JobParametersPreparer {

    @Override
    public String jobName() {
        return CollectJobConfiguration.JOB_NAME;
    }

    @Override
    public JobParameters prepare(JobParameters given) {
        JobParametersBuilder builder = JobParametersPreparer.describing(given, CollectParameters.IDENTIFYING);
        JobParameter<?> problems = given.getParameter("problems");
        String path = problems == null ? CollectParameters.DEFAULT_PROBLEMS : String.valueOf(problems.value());
        builder.addString("problems", path, false);
        builder.addString(CollectParameters.PROBLEMS_SHA256, ProblemList.content(Path.of(path)).sha256(), true);
        builder.addLocalDate(CollectParameters.RUN_DATE, CollectParameters.runDate(given), true);
        return builder.toJobParameters();
    }

}
