package dev.rolloutbatch.collect;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.launch.JobParametersPreparer;

/**
 * A collect run is identified by its problem list and run date only (both defaulted: the smoke list, today in
 * UTC), so that restarting a failed night with other tuning (concurrency, budget...) resumes the same run.
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
        builder.addString("problems", problems == null ? CollectParameters.DEFAULT_PROBLEMS
                : String.valueOf(problems.value()), true);
        JobParameter<?> runDate = given.getParameter("runDate");
        if (runDate == null) {
            builder.addLocalDate("runDate", LocalDate.now(ZoneOffset.UTC), true);
        }
        else if (runDate.value() instanceof LocalDate date) {
            builder.addLocalDate("runDate", date, true);
        }
        else {
            try {
                builder.addLocalDate("runDate", LocalDate.parse(String.valueOf(runDate.value()).trim()), true);
            }
            catch (DateTimeParseException ex) {
                throw new IllegalArgumentException("runDate: '" + runDate.value() + "' is not a date (YYYY-MM-DD)");
            }
        }
        return builder.toJobParameters();
    }

}
