package dev.rolloutbatch.agent.openai;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.rolloutbatch.conversation.Usage;

import static org.assertj.core.api.Assertions.assertThat;

class UsageNormalizerTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Usage normalize(String json) {
        return UsageNormalizer.normalize(JSON.readTree(json));
    }

    @Test
    void openAiCachedTokensAreInsidePromptTokens() {
        assertThat(normalize("""
                {"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
                 "prompt_tokens_details": {"cached_tokens": 1920, "audio_tokens": 0},
                 "completion_tokens_details": {"reasoning_tokens": 192, "audio_tokens": 0}}"""))
            .isEqualTo(new Usage(86, 1920, 0, 300, 192, false));
    }

    @Test
    void plainVllmUsageHasNoDetails() {
        assertThat(normalize("{\"prompt_tokens\": 50, \"completion_tokens\": 7, \"total_tokens\": 57,"
                + " \"prompt_tokens_details\": null}")).isEqualTo(new Usage(50, 0, 0, 7, 0, false));
    }

    @Test
    void gatewayAnthropicFieldsInclusiveOfPromptTokens() {
        assertThat(normalize("""
                {"prompt_tokens": 1500, "completion_tokens": 80, "cache_creation_input_tokens": 300,
                 "cache_read_input_tokens": 1000}""")).isEqualTo(new Usage(200, 1000, 300, 80, 0, false));
    }

    @Test
    void promptTokensSmallerThanTheCacheMeanTheyExcludeIt() {
        // Anthropic's convention passed through unchanged: input_tokens counts only the uncached part.
        assertThat(normalize("""
                {"prompt_tokens": 12, "completion_tokens": 80, "cache_creation_input_tokens": 300,
                 "cache_read_input_tokens": 1000}""")).isEqualTo(new Usage(12, 1000, 300, 80, 0, false));
    }

    @Test
    void anthropicNamesAreExclusive() {
        assertThat(normalize("""
                {"input_tokens": 40, "output_tokens": 9, "cache_creation_input_tokens": 0,
                 "cache_read_input_tokens": 2000}""")).isEqualTo(new Usage(40, 2000, 0, 9, 0, false));
    }

    @Test
    void openRouterCacheWriteDetail() {
        assertThat(normalize("""
                {"prompt_tokens": 1000, "completion_tokens": 10,
                 "prompt_tokens_details": {"cached_tokens": 600, "cache_write_tokens": 100}}"""))
            .isEqualTo(new Usage(300, 600, 100, 10, 0, false));
    }

    @Test
    void noUsableUsageIsNull() {
        assertThat(normalize("null")).isNull();
        assertThat(normalize("{}")).isNull();
        assertThat(normalize("{\"total_tokens\": 5}")).isNull();
    }
}
