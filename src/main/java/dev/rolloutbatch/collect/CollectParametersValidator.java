package dev.rolloutbatch.collect;

import java.nio.file.Path;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

import dev.rolloutbatch.agent.PolicyChoice;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.conversation.Pricing;
import dev.rolloutbatch.conversation.Usage;
import dev.rolloutbatch.environment.AgentEnvironment;
import dev.rolloutbatch.environment.Environments;

/**
 * Checks every parameter and the whole problem list before the job starts, so that bad input is refused with a
 * message naming each problem and nothing is written.
 */
class CollectParametersValidator implements JobParametersValidator {

    private final ProblemCatalog catalog;
    private final Environments environments;
    private final PolicyChoice policyChoice;
    private final Pricing pricing;

    CollectParametersValidator(ProblemCatalog catalog, Environments environments, PolicyChoice policyChoice,
            Pricing pricing) {
        this.catalog = catalog;
        this.environments = environments;
        this.policyChoice = policyChoice;
        this.pricing = pricing;
    }

    @Override
    public void validate(JobParameters parameters) throws InvalidJobParametersException {
        CollectParameters p = CollectParameters.from(parameters, policyChoice.defaultPolicy());
        if (p.budgetUsd() != null && pricing.price(p.model(), Usage.ZERO).isEmpty()) {
            // An unpriced call costs NULL: the budget could not be counted, so it would not hold.
            throw invalid("budgetUsd: the model '" + p.model() + "' has no price in the price table, so a budget"
                    + " cannot be kept; add it to a price file (rollout.pricing.file) or run without budgetUsd");
        }
        try {
            policyChoice.checkReady(p.policy());
        }
        catch (IllegalArgumentException | IllegalStateException ex) {
            throw invalid("policy " + p.policy() + ": " + ex.getMessage());
        }
        AgentEnvironment environment;
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
