package dev.rolloutbatch.collect;

import java.nio.file.Path;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

import dev.rolloutbatch.agent.Policies;
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
    private final Policies policies;
    private final DefaultPolicy defaultPolicy;

    CollectParametersValidator(ProblemCatalog catalog, Environments environments, Policies policies,
            DefaultPolicy defaultPolicy) {
        this.catalog = catalog;
        this.environments = environments;
        this.policies = policies;
        this.defaultPolicy = defaultPolicy;
    }

    @Override
    public void validate(JobParameters parameters) throws InvalidJobParametersException {
        CollectParameters p;
        try {
            p = CollectParameters.from(parameters, defaultPolicy.name());
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidJobParametersException(ex.getMessage());
        }
        try {
            policies.get(p.policy()).checkReady();
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
