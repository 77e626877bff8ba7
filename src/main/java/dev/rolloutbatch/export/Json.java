package dev.rolloutbatch.export;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the JSON text columns of the episode and conversation log, and prepares the datasets' JSON columns. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /** Sampling as logged on a conversation; null numbers mean the server's default. */
    record Sampling(Double temperature, Double topP, Integer maxTokens, Long seed) {
        static final Sampling NONE = new Sampling(null, null, null, null);
    }

    static @Nullable JsonNode tree(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(json);
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    static Sampling sampling(String json) {
        JsonNode node = tree(json);
        if (node == null || !node.isObject()) {
            return Sampling.NONE;
        }
        return new Sampling(number(node, "temperature") == null ? null : node.get("temperature").asDouble(),
                number(node, "top_p") == null ? null : node.get("top_p").asDouble(),
                number(node, "max_tokens") == null ? null : node.get("max_tokens").asInt(),
                number(node, "seed") == null ? null : node.get("seed").asLong());
    }

    private static JsonNode number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value : null;
    }

    /**
     * Text for a JSON column: the value itself when it parses as JSON, else the text as a JSON string, so a reader
     * that decodes the column never fails on a model's malformed tool-call arguments. Null stays null.
     */
    static @Nullable String column(String json) {
        if (json == null) {
            return null;
        }
        JsonNode node = tree(json);
        return node != null ? json : MAPPER.writeValueAsString(MAPPER.getNodeFactory().stringNode(json));
    }

    /**
     * AIOpsLab's own grading of an evaluation: {@code aiopslab.success} of the evaluation JSON (shared contract 1);
     * null for evaluations written before it had one.
     */
    static Boolean aiopslabSuccess(String evaluation) {
        JsonNode node = tree(evaluation);
        JsonNode success = node == null ? null : node.path("aiopslab").get("success");
        return success != null && success.isBoolean() ? success.asBoolean() : null;
    }

    /** Prompt and response token ids of one LLM call: vLLM's field names or ours. */
    record TokenIds(List<Integer> prompt, List<Integer> response) {
    }

    static @Nullable TokenIds tokenIds(String json) {
        JsonNode node = tree(json);
        if (node == null || !node.isObject()) {
            return null;
        }
        List<Integer> prompt = ints(first(node, "prompt_token_ids", "prompt_ids"));
        List<Integer> response = ints(first(node, "token_ids", "response_token_ids", "response_ids",
                "completion_token_ids"));
        return prompt == null || response == null ? null : new TokenIds(prompt, response);
    }

    /** Per-token logprobs: a plain array of numbers, an array of {token, logprob}, or OpenAI's {content: [...]}. */
    static @Nullable List<Double> logprobs(String json) {
        JsonNode node = tree(json);
        if (node != null && node.isObject()) {
            node = node.get("content");
        }
        if (node == null || !node.isArray()) {
            return null;
        }
        List<Double> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            JsonNode value = item.isObject() ? item.get("logprob") : item;
            if (value == null || !value.isNumber()) {
                return null;
            }
            values.add(value.asDouble());
        }
        return values;
    }

    private static @Nullable JsonNode first(JsonNode node, String... fields) {
        for (String field : fields) {
            if (node.hasNonNull(field)) {
                return node.get(field);
            }
        }
        return null;
    }

    private static @Nullable List<Integer> ints(JsonNode node) {
        if (node == null || !node.isArray()) {
            return null;
        }
        List<Integer> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isIntegralNumber()) {
                return null;
            }
            values.add(node.get(i).asInt());
        }
        return values;
    }
}
