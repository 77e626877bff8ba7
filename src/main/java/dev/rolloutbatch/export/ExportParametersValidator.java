package dev.rolloutbatch.export;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/** Checks every export parameter before a job execution is created. */
class ExportParametersValidator implements JobParametersValidator {

    @Override
    public void validate(JobParameters parameters) throws InvalidJobParametersException {
        ExportParameters.parse(parameters == null ? new JobParameters() : parameters);
    }
}
