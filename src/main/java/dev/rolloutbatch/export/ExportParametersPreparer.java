package dev.rolloutbatch.export;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.launch.JobParametersPreparer;

/**
 * An export may be run again and again (it replaces its partitions), so every launch is a new job instance:
 * the given parameters describe it without identifying it, and a {@code run.id} of the launch time does.
 */
@Component
class ExportParametersPreparer implements JobParametersPreparer {

    @Override
    public String jobName() {
        return ExportJobConfiguration.JOB_NAME;
    }

    @Override
    public JobParameters prepare(JobParameters given) {
        JobParametersBuilder builder = new JobParametersBuilder();
        for (JobParameter<?> parameter : given) {
            if (!"run.id".equals(parameter.name())) {
                add(builder, parameter);
            }
        }
        return builder.addLong("run.id", System.currentTimeMillis(), true).toJobParameters();
    }

    private static <T> void add(JobParametersBuilder builder, JobParameter<T> parameter) {
        builder.addJobParameter(parameter.name(), parameter.value(), parameter.type(), false);
    }
}
