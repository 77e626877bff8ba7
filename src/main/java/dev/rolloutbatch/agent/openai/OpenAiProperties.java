package dev.rolloutbatch.agent.openai;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code openai} policy's endpoint settings. The API key is never a property: it comes from
 * {@code OPENAI_API_KEY} only.
 *
 * @param baseUrl           the OpenAI-compatible base URL (ending in {@code /v1}); when empty,
 *                          {@code OPENAI_BASE_URL}, else {@code https://api.openai.com/v1}
 * @param timeout           one HTTP attempt's time limit (connect + wait + read)
 * @param maxAttempts       HTTP attempts per completion including the first
 * @param initialBackoff    wait before the second attempt; doubles each retry, with jitter
 * @param maxBackoff        the longest computed wait between attempts
 * @param maxRetryAfter     the longest server-requested wait ({@code Retry-After}) honoured; longer ones are cut
 * @param maxConcurrency    completion requests in flight to the endpoint at once
 * @param requestsPerMinute 0 for no limit
 * @param tokensPerMinute   0 for no limit (prompt estimated locally, plus max_tokens)
 * @param topLogprobs       alternatives per token when logprobs are requested (0 = none)
 * @param maxTokensField    the request field for AgentSettings.maxTokens: {@code max_tokens} (widest support:
 *                          vLLM, SGLang, Ollama, gateways) or {@code max_completion_tokens} (OpenAI o-series)
 */
@ConfigurationProperties("rollout.openai")
public record OpenAiProperties(@Nullable String baseUrl, @DefaultValue("120s") Duration timeout,
        @DefaultValue("6") int maxAttempts, @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("60s") Duration maxBackoff, @DefaultValue("300s") Duration maxRetryAfter,
        @DefaultValue("64") int maxConcurrency, @DefaultValue("0") int requestsPerMinute,
        @DefaultValue("0") long tokensPerMinute, @DefaultValue("0") int topLogprobs,
        @DefaultValue("max_tokens") String maxTokensField) {

    public OpenAiProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("rollout.openai.max-attempts must be at least 1");
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("rollout.openai.max-concurrency must be at least 1");
        }
        if (!"max_tokens".equals(maxTokensField) && !"max_completion_tokens".equals(maxTokensField)) {
            throw new IllegalArgumentException(
                    "rollout.openai.max-tokens-field must be max_tokens or max_completion_tokens");
        }
    }

    /** Defaults, for code outside Spring (tests, tools). */
    public static OpenAiProperties defaults(@Nullable String baseUrl) {
        return new OpenAiProperties(baseUrl, Duration.ofSeconds(120), 6, Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(300), 64, 0, 0, 0, "max_tokens");
    }
}
