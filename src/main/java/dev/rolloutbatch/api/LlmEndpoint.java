package dev.rolloutbatch.api;

import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Whether an OpenAI-compatible endpoint is configured: {@code rollout.openai.base-url}, or {@code OPENAI_BASE_URL}
 * or {@code OPENAI_API_KEY} in the environment. {@code use_llm: true} tasks are refused without one.
 */
@Component
@Profile("serve")
class LlmEndpoint {

    private final Environment environment;

    LlmEndpoint(Environment environment) {
        this.environment = environment;
    }

    boolean isConfigured() {
        return hasText("rollout.openai.base-url") || hasText("OPENAI_BASE_URL") || hasText("OPENAI_API_KEY");
    }

    private boolean hasText(String key) {
        String value = environment.getProperty(key);
        return value != null && !value.isBlank();
    }
}
