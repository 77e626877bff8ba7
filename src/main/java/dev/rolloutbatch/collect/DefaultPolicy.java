package dev.rolloutbatch.collect;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.agent.Policies;

/**
 * The policy of a run that names none: {@code openai} when an OpenAI-compatible endpoint is configured
 * ({@code OPENAI_BASE_URL} or {@code OPENAI_API_KEY}), otherwise the offline {@code scripted} baseline, so that
 * the default run needs no network.
 */
@Component
class DefaultPolicy {

    private final Environment environment;
    private final Policies policies;

    DefaultPolicy(Environment environment, Policies policies) {
        this.environment = environment;
        this.policies = policies;
    }

    String name() {
        boolean endpoint = hasText(environment.getProperty("OPENAI_BASE_URL"))
                || hasText(environment.getProperty("OPENAI_API_KEY"));
        return endpoint && policies.has("openai") ? "openai" : "scripted";
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
