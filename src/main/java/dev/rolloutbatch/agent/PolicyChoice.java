package dev.rolloutbatch.agent;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The one answer to "which policy, and is it ready?" for the collect job's validator and default, and for the
 * HTTP API. A run that names no policy gets {@code rollout.policy} when configured, else a policy the
 * configuration asks for (an {@code openai} endpoint set in {@code rollout.openai.base-url}), else the offline
 * {@code scripted} baseline. A key in the shell ({@code OPENAI_API_KEY}) never chooses a paid policy by itself.
 */
@Component
public class PolicyChoice {

    public static final String PROPERTY = "rollout.policy";

    static final String OFFLINE = "scripted";

    private final Policies policies;
    private final Environment environment;

    public PolicyChoice(Policies policies, Environment environment) {
        this.policies = policies;
        this.environment = environment;
    }

    /** The policy of a run or task that names none. */
    public String defaultPolicy() {
        String configured = environment.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        return policies.all().stream().filter(Policy::requestedByConfiguration).map(Policy::name).findFirst()
            .orElse(OFFLINE);
    }

    /**
     * @throws IllegalArgumentException for an unknown policy
     * @throws IllegalStateException naming what is missing (a key, an endpoint that answers)
     */
    public void checkReady(String policy) {
        policies.get(policy).checkReady();
    }

    /** Whether the policy exists and is configured to answer (no network check). */
    public boolean isConfigured(String policy) {
        return policies.has(policy) && policies.get(policy).isConfigured();
    }
}
