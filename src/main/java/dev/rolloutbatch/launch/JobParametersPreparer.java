package dev.rolloutbatch.launch;

import java.util.Set;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * A job's say in how command-line parameters become job parameters: which of them identify a job instance, and
 * the defaults that must be part of that identity.
 */
public interface JobParametersPreparer {

    String jobName();

    JobParameters prepare(JobParameters given);

    /** A builder holding the given parameters, except those named, as non-identifying ones. */
    static JobParametersBuilder describing(JobParameters given, Set<String> except) {
        JobParametersBuilder builder = new JobParametersBuilder();
        for (JobParameter<?> parameter : given) {
            if (!except.contains(parameter.name())) {
                add(builder, parameter);
            }
        }
        return builder;
    }

    private static <T> void add(JobParametersBuilder builder, JobParameter<T> parameter) {
        builder.addJobParameter(parameter.name(), parameter.value(), parameter.type(), false);
    }
}
