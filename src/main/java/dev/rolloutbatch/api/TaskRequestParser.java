package dev.rolloutbatch.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.catalog.ProblemCatalog;

/**
 * Validates a task submission field by field, so that every refusal names the field: types are strict (no
 * {@code "30"} for 30, no 30.5 for an integer) and unknown fields are refused rather than silently ignored.
 */
@Component
@Profile("serve")
class TaskRequestParser {

    static final int DEFAULT_MAX_STEPS = 30;
    static final int DEFAULT_TIMEOUT_SECONDS = 1800;
    static final String OFFLINE_MODEL = "scripted-baseline";

    private static final Set<String> TOP_LEVEL = Set.of("problem_id", "parameters");
    private static final Set<String> PARAMETERS = Set.of("max_steps", "timeout", "use_llm", "agent_config");
    private static final Set<String> AGENT_CONFIG = Set.of("model", "temperature", "top_p", "max_tokens", "seed",
            "protocol", "stop", "logprobs");

    private final ProblemCatalog catalog;
    private final LlmEndpoint endpoint;

    TaskRequestParser(ProblemCatalog catalog, LlmEndpoint endpoint) {
        this.catalog = catalog;
        this.endpoint = endpoint;
    }

    NewTask parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("body", "must be a JSON object");
        }
        rejectUnknown(body, TOP_LEVEL, "");
        JsonNode problem = body.get("problem_id");
        if (problem == null || problem.isNull()) {
            throw new BadRequestException("problem_id", "is required");
        }
        if (!problem.isString()) {
            throw new BadRequestException("problem_id", "must be a string");
        }
        String problemId = problem.stringValue();
        if (catalog.find(problemId).isEmpty()) {
            throw new BadRequestException("problem_id", "unknown problem '" + problemId + "'");
        }
        JsonNode parameters = body.get("parameters");
        if (parameters == null || parameters.isNull()) {
            parameters = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!parameters.isObject()) {
            throw new BadRequestException("parameters", "must be an object");
        }
        rejectUnknown(parameters, PARAMETERS, "parameters.");
        int maxSteps = integer(parameters, "max_steps", "parameters.max_steps", DEFAULT_MAX_STEPS, 1, 1000);
        int timeout = integer(parameters, "timeout", "parameters.timeout", DEFAULT_TIMEOUT_SECONDS, 1, 86_400);
        boolean useLlm = bool(parameters, "use_llm", "parameters.use_llm", false);
        if (useLlm && !endpoint.isConfigured()) {
            throw new BadRequestException("parameters.use_llm", "true needs an OpenAI-compatible endpoint, and none is"
                    + " configured (set OPENAI_BASE_URL and OPENAI_API_KEY, or rollout.openai.base-url)");
        }
        return new NewTask(problemId, maxSteps, timeout, useLlm, agentSettings(parameters.get("agent_config"), useLlm));
    }

    /**
     * Maps the seed's {@code agent_config} ({@code {"model": "gpt-4", "temperature": 0.7}}) to settings.
     * TODO: switch to {@code dev.rolloutbatch.agent.AgentConfigs.fromAgentConfig(map, defaults)} once merged.
     */
    private static AgentSettings agentSettings(JsonNode config, boolean useLlm) {
        String path = "parameters.agent_config";
        if (config == null || config.isNull()) {
            if (useLlm) {
                throw new BadRequestException(path + ".model", "is required when use_llm is true");
            }
            return new AgentSettings(OFFLINE_MODEL, Protocol.TEXT, null, null, null, null, List.of(), false);
        }
        if (!config.isObject()) {
            throw new BadRequestException(path, "must be an object");
        }
        rejectUnknown(config, AGENT_CONFIG, path + ".");
        String model = string(config, "model", path + ".model");
        if (model == null && useLlm) {
            throw new BadRequestException(path + ".model", "is required when use_llm is true");
        }
        String protocol = string(config, "protocol", path + ".protocol");
        Protocol parsedProtocol;
        try {
            parsedProtocol = protocol == null ? Protocol.TEXT : Protocol.fromId(protocol);
        }
        catch (IllegalArgumentException ex) {
            throw new BadRequestException(path + ".protocol", "must be 'text' or 'tools'");
        }
        Double temperature = number(config, "temperature", path + ".temperature", 0, 2);
        Double topP = number(config, "top_p", path + ".top_p", 0, 1);
        Integer maxTokens = config.has("max_tokens") && !config.get("max_tokens").isNull()
                ? integer(config, "max_tokens", path + ".max_tokens", 0, 1, 1_000_000) : null;
        Long seed = null;
        JsonNode seedNode = config.get("seed");
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.isIntegralNumber() || !seedNode.canConvertToLong()) {
                throw new BadRequestException(path + ".seed", "must be an integer");
            }
            seed = seedNode.longValue();
        }
        List<String> stop = new ArrayList<>();
        JsonNode stopNode = config.get("stop");
        if (stopNode != null && !stopNode.isNull()) {
            if (!stopNode.isArray()) {
                throw new BadRequestException(path + ".stop", "must be an array of strings");
            }
            for (JsonNode item : stopNode) {
                if (!item.isString()) {
                    throw new BadRequestException(path + ".stop", "must be an array of strings");
                }
                stop.add(item.stringValue());
            }
        }
        boolean logprobs = bool(config, "logprobs", path + ".logprobs", false);
        return new AgentSettings(model == null ? OFFLINE_MODEL : model, parsedProtocol, temperature, topP, maxTokens,
                seed, stop, logprobs);
    }

    private static void rejectUnknown(JsonNode node, Set<String> known, String prefix) {
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                throw new BadRequestException(prefix + name, "unknown field (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static int integer(JsonNode parent, String name, String path, int fallback, int min, int max) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new BadRequestException(path, "must be an integer");
        }
        int value = node.intValue();
        if (value < min || value > max) {
            throw new BadRequestException(path, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    private static Double number(JsonNode parent, String name, String path, double min, double max) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw new BadRequestException(path, "must be a number");
        }
        double value = node.doubleValue();
        if (!(value >= min && value <= max)) {
            throw new BadRequestException(path, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    private static boolean bool(JsonNode parent, String name, String path, boolean fallback) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new BadRequestException(path, "must be true or false");
        }
        return node.booleanValue();
    }

    private static String string(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString() || node.stringValue().isBlank()) {
            throw new BadRequestException(path, "must be a non-empty string");
        }
        if (node.stringValue().length() > 200) {
            throw new BadRequestException(path, "must be at most 200 characters");
        }
        return node.stringValue();
    }
}
