package dev.rolloutbatch.agent;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link AgentSettings} as stored on an episode and a conversation: snake_case JSON
 * ({@code model, protocol, temperature, top_p, max_tokens, seed, stop, logprobs}).
 */
public final class AgentSettingsJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AgentSettingsJson() {
    }

    public static String write(AgentSettings s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("model", s.model()).put("protocol", s.protocol().id());
        node.put("temperature", s.temperature());
        node.put("top_p", s.topP());
        node.put("max_tokens", s.maxTokens());
        node.put("seed", s.seed());
        ArrayNode stop = node.putArray("stop");
        s.stop().forEach(stop::add);
        node.put("logprobs", s.logprobs());
        return JSON.writeValueAsString(node);
    }

    public static AgentSettings read(String json) {
        JsonNode node = JSON.readTree(json);
        List<String> stop = new ArrayList<>();
        if (node.hasNonNull("stop")) {
            node.get("stop").forEach(item -> stop.add(item.asString()));
        }
        return new AgentSettings(node.get("model").asString(), Protocol.fromId(node.get("protocol").asString()),
                node.hasNonNull("temperature") ? node.get("temperature").asDouble() : null,
                node.hasNonNull("top_p") ? node.get("top_p").asDouble() : null,
                node.hasNonNull("max_tokens") ? node.get("max_tokens").asInt() : null,
                node.hasNonNull("seed") ? node.get("seed").asLong() : null, stop,
                node.hasNonNull("logprobs") && node.get("logprobs").asBoolean());
    }
}
