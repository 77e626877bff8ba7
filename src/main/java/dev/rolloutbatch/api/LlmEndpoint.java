package dev.rolloutbatch.api;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.agent.openai.OpenAiEndpoint;

/**
 * Whether an OpenAI-compatible endpoint is configured: {@code rollout.openai.base-url}, or {@code OPENAI_BASE_URL}
 * or {@code OPENAI_API_KEY} in the environment (or an {@link OpenAiEndpoint} bean with a key).
 * {@code use_llm: true} tasks are refused without one rather than sent to api.openai.com without a key.
 */
@Component
@Profile("serve")
class LlmEndpoint {

    private final Environment environment;
    private final ObjectProvider<OpenAiEndpoint> endpoint;

    LlmEndpoint(Environment environment, ObjectProvider<OpenAiEndpoint> endpoint) {
        this.environment = environment;
        this.endpoint = endpoint;
    }

    boolean isConfigured() {
        OpenAiEndpoint configured = endpoint.getIfAvailable();
        return hasText("rollout.openai.base-url") || hasText("OPENAI_BASE_URL") || hasText("OPENAI_API_KEY")
                || configured != null && configured.apiKey() != null;
    }

    private boolean hasText(String key) {
        String value = environment.getProperty(key);
        return value != null && !value.isBlank();
    }
}
