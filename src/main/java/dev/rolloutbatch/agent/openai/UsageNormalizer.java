package dev.rolloutbatch.agent.openai;

import tools.jackson.databind.JsonNode;

import dev.rolloutbatch.conversation.Usage;

/**
 * A Chat Completions {@code usage} object as non-overlapping {@link Usage} buckets.
 * <ul>
 * <li>OpenAI: {@code prompt_tokens} includes {@code prompt_tokens_details.cached_tokens}; uncached input is the
 * difference. {@code completion_tokens} includes {@code completion_tokens_details.reasoning_tokens}.</li>
 * <li>Anthropic through a gateway (LiteLLM, OpenRouter): {@code cache_read_input_tokens} and
 * {@code cache_creation_input_tokens} (or {@code prompt_tokens_details.cache_write_tokens}) are cache reads and
 * writes. Gateways count them inside {@code prompt_tokens}; when {@code prompt_tokens} is smaller than the cached
 * tokens it evidently excludes them (Anthropic's own convention, also assumed for a bare {@code input_tokens}).</li>
 * </ul>
 */
final class UsageNormalizer {

    private UsageNormalizer() {
    }

    /** Null when the response carried no usable usage. */
    static Usage normalize(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        boolean openAiNames = usage.path("prompt_tokens").isNumber();
        boolean anthropicNames = !openAiNames && usage.path("input_tokens").isNumber();
        if (!openAiNames && !anthropicNames) {
            return null;
        }
        long prompt = openAiNames ? usage.path("prompt_tokens").asLong() : usage.path("input_tokens").asLong();
        long output = usage.path("completion_tokens").isNumber() ? usage.path("completion_tokens").asLong()
                : usage.path("output_tokens").asLong(0);
        JsonNode promptDetails = usage.path("prompt_tokens_details");
        long cacheRead = firstNumber(promptDetails.path("cached_tokens"), usage.path("cache_read_input_tokens"));
        long cacheWrite = firstNumber(usage.path("cache_creation_input_tokens"),
                promptDetails.path("cache_write_tokens"));
        long reasoning = firstNumber(usage.path("completion_tokens_details").path("reasoning_tokens"),
                usage.path("output_tokens_details").path("reasoning_tokens"));
        long uncached;
        if (openAiNames && prompt >= cacheRead + cacheWrite) {
            uncached = prompt - cacheRead - cacheWrite;
        }
        else {
            uncached = prompt;
        }
        return new Usage(Math.max(0, uncached), Math.max(0, cacheRead), Math.max(0, cacheWrite), Math.max(0, output),
                Math.max(0, Math.min(reasoning, output)), false);
    }

    private static long firstNumber(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (node != null && node.isNumber()) {
                return node.asLong();
            }
        }
        return 0;
    }
}
