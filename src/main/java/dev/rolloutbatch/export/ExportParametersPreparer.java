package dev.rolloutbatch.export;

import java.util.Set;

import org.springframework.batch.core.job.parameters.JobParameters;
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
        return JobParametersPreparer.describing(given, Set.of("run.id"))
            .addLong("run.id", System.currentTimeMillis(), true)
            .toJobParameters();
    }

}
