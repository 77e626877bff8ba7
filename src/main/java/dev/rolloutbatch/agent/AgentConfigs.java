package dev.rolloutbatch.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The seed's {@code agent_config} JSON ({@code {"model": "gpt-4", "temperature": 0.7, "max_tokens": 1024,
 * "top_p": 0.9}}) as {@link AgentSettings}. Keys it does not name keep the defaults' values.
 */
public final class AgentConfigs {

    private static final Set<String> KNOWN = Set.of("model", "protocol", "temperature", "top_p", "topP",
            "max_tokens", "maxTokens", "max_completion_tokens", "seed", "stop", "logprobs");

    private AgentConfigs() {
    }

    /**
     * @throws IllegalArgumentException naming the key when a value has the wrong type or range, or a key is
     *                                  unknown (a typo must not silently fall back to a default)
     */
    public static AgentSettings fromAgentConfig(Map<String, Object> config, AgentSettings defaults) {
        if (config == null || config.isEmpty()) {
            return defaults;
        }
        for (String key : config.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("agent_config: unknown key '" + key + "' (known: model, protocol,"
                        + " temperature, top_p, max_tokens, seed, stop, logprobs)");
            }
        }
        String model = config.containsKey("model") ? text(config, "model") : defaults.model();
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("agent_config: model must not be empty");
        }
        Protocol protocol = config.get("protocol") != null ? Protocol.fromId(text(config, "protocol"))
                : defaults.protocol();
        Double temperature = config.containsKey("temperature") ? number(config, "temperature", 0, 2)
                : defaults.temperature();
        Object topPKey = first(config, "top_p", "topP");
        Double topP = topPKey != null ? number(config, (String) topPKey, 0, 1) : defaults.topP();
        Object maxKey = first(config, "max_tokens", "maxTokens", "max_completion_tokens");
        Integer maxTokens = maxKey != null ? positiveInt(config, (String) maxKey) : defaults.maxTokens();
        Long seed = config.containsKey("seed") ? integer(config, "seed") : defaults.seed();
        List<String> stop = config.containsKey("stop") ? stop(config.get("stop")) : defaults.stop();
        boolean logprobs = config.containsKey("logprobs") ? bool(config, "logprobs") : defaults.logprobs();
        return new AgentSettings(model.strip(), protocol, temperature, topP, maxTokens, seed, stop, logprobs);
    }

    private static @Nullable Object first(Map<String, Object> config, String... keys) {
        for (String key : keys) {
            if (config.containsKey(key)) {
                return key;
            }
        }
        return null;
    }

    private static String text(Map<String, Object> config, String key) {
        Object value = config.get(key);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("agent_config: " + key + " must be a string, not " + value);
        }
        return (String) value;
    }

    private static @Nullable Double number(Map<String, Object> config, String key, double min, double max) {
        Object value = config.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("agent_config: " + key + " must be a number, not '" + value + "'");
        }
        double d = number.doubleValue();
        if (Double.isNaN(d) || d < min || d > max) {
            throw new IllegalArgumentException("agent_config: " + key + " must be between " + min + " and " + max
                    + ", not " + value);
        }
        return d;
    }

    private static @Nullable Long integer(Map<String, Object> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof java.math.BigInteger) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw new IllegalArgumentException("agent_config: " + key + " must be an integer, not '" + value + "'");
    }

    private static @Nullable Integer positiveInt(Map<String, Object> config, String key) {
        Long value = integer(config, key);
        if (value == null) {
            return null;
        }
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("agent_config: " + key + " must be a positive integer, not " + value);
        }
        return value.intValue();
    }

    private static boolean bool(Map<String, Object> config, String key) {
        Object value = config.get(key);
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("agent_config: " + key + " must be true or false, not '" + value + "'");
    }

    private static List<String> stop(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> stop = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw new IllegalArgumentException("agent_config: stop must hold strings, not '" + item + "'");
                }
                stop.add(s);
            }
            return stop;
        }
        throw new IllegalArgumentException("agent_config: stop must be a string or a list of strings");
    }
}
