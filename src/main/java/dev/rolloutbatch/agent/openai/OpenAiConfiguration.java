package dev.rolloutbatch.agent.openai;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The endpoint the {@code openai} policy uses, from the process environment. */
@Configuration(proxyBeanMethods = false)
class OpenAiConfiguration {

    @Bean
    OpenAiEndpoint openAiEndpoint(OpenAiProperties properties) {
        return OpenAiEndpoint.from(System.getenv(), properties);
    }
}
