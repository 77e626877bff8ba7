package dev.rolloutbatch.collect;

import java.nio.file.Path;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

import dev.rolloutbatch.agent.PolicyChoice;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.environment.Environment;
import dev.rolloutbatch.environment.Environments;

/**
 * Checks every parameter and the whole problem list before the job starts, so that bad input is refused with a
 * message naming each problem and nothing is written.
 */
class CollectParametersValidator implements JobParametersValidator {

    private final ProblemCatalog catalog;
    private final Environments environments;
    private final PolicyChoice policyChoice;

    CollectParametersValidator(ProblemCatalog catalog, Environments environments, PolicyChoice policyChoice) {
        this.catalog = catalog;
        this.environments = environments;
        this.policyChoice = policyChoice;
    }

    @Override
    public void validate(JobParameters parameters) throws InvalidJobParametersException {
        CollectParameters p;
        try {
            p = CollectParameters.from(parameters, policyChoice.defaultPolicy());
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidJobParametersException(ex.getMessage());
        }
        try {
            policyChoice.checkReady(p.policy());
        }
        catch (IllegalArgumentException | IllegalStateException ex) {
            throw invalid("policy " + p.policy() + ": " + ex.getMessage());
        }
        Environment environment;
        try {
            environment = environments.get(p.environment());
        }
        catch (IllegalArgumentException ex) {
            throw invalid("environment: " + ex.getMessage());
        }
        try {
            ProblemList.read(Path.of(p.problems()), catalog, environment.servedProblemIds(), p.environment());
        }
        catch (RuntimeException ex) {
            throw invalid("problems: " + ex.getMessage());
        }
    }

    private static InvalidJobParametersException invalid(String message) {
        return new InvalidJobParametersException(message);
    }
}
