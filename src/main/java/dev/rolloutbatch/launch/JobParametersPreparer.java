package dev.rolloutbatch.launch;

import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A job's say in how command-line parameters become job parameters: which of them identify a job instance, and
 * the defaults that must be part of that identity.
 */
public interface JobParametersPreparer {

    String jobName();

    JobParameters prepare(JobParameters given);
}
