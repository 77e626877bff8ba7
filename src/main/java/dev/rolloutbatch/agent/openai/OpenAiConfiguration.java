package dev.rolloutbatch.agent.openai;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The endpoint the {@code openai} policy uses: the URL from {@code rollout.openai.base-url} or
 * {@code OPENAI_BASE_URL}, the key from the process environment only.
 */
@Configuration(proxyBeanMethods = false)
class OpenAiConfiguration {

    /** @param requireKey {@code rollout.openai.require-key}; unset: a key is needed except on loopback */
    @Bean
    OpenAiEndpoint openAiEndpoint(OpenAiProperties properties,
            @Value("${rollout.openai.require-key:#{null}}") Boolean requireKey) {
        return OpenAiEndpoint.from(System.getenv(), properties, requireKey);
    }
}
