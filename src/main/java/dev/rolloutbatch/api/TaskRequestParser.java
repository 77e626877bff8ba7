package dev.rolloutbatch.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.agent.AgentConfigs;
import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.catalog.ProblemCatalog;

/**
 * Validates a task submission field by field, so that every refusal names the field: types are strict (no
 * {@code "30"} for 30, no 30.5 for an integer) and unknown fields are refused rather than silently ignored.
 * {@code agent_config} is mapped by {@link AgentConfigs}, the same mapping batch runs use.
 */
@Component
@Profile("serve")
class TaskRequestParser {

    static final int DEFAULT_MAX_STEPS = 30;
    static final int DEFAULT_TIMEOUT_SECONDS = 1800;
    static final String OFFLINE_MODEL = "scripted-baseline";

    private static final Set<String> TOP_LEVEL = Set.of("problem_id", "parameters");
    private static final Set<String> PARAMETERS = Set.of("max_steps", "timeout", "use_llm", "agent_config");
    private static final Set<String> AGENT_CONFIG = Set.of("model", "temperature", "top_p", "topP", "max_tokens",
            "maxTokens", "max_completion_tokens", "seed", "protocol", "stop", "logprobs");
    private static final Pattern UNKNOWN_KEY = Pattern.compile("^unknown key '([^']*)'");
    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    /** The seed's {@code agent_config} ({@code {"model": "gpt-4", "temperature": 0.7}}) by the shared mapping. */
    private static AgentSettings agentSettings(JsonNode config, boolean useLlm) {
        String path = "parameters.agent_config";
        if (config != null && !config.isNull() && !config.isObject()) {
            throw new BadRequestException(path, "must be an object");
        }
        AgentSettings defaults = new AgentSettings(useLlm ? null : OFFLINE_MODEL, Protocol.TEXT, null, null, null,
                null, List.of(), false);
        Map<String, Object> map = config == null || config.isNull() ? Map.of() : JSON.treeToValue(config, Map.class);
        AgentSettings settings;
        try {
            settings = AgentConfigs.fromAgentConfig(map, defaults);
        }
        catch (IllegalArgumentException ex) {
            throw agentConfigError(path, ex.getMessage());
        }
        if (settings.model() == null) {
            throw new BadRequestException(path + ".model", "is required when use_llm is true");
        }
        if (settings.model().length() > 200) {
            throw new BadRequestException(path + ".model", "must be at most 200 characters");
        }
        return settings;
    }

    /** Names the key an {@link AgentConfigs} message is about, e.g. "agent_config: temperature must be ...". */
    private static BadRequestException agentConfigError(String path, String message) {
        String detail = message == null ? "invalid" : message.replaceFirst("^agent_config: ", "");
        Matcher unknown = UNKNOWN_KEY.matcher(detail);
        if (unknown.find()) {
            return new BadRequestException(path + "." + unknown.group(1), detail);
        }
        if (detail.startsWith("unknown protocol")) {
            return new BadRequestException(path + ".protocol", detail);
        }
        String first = detail.split(" ", 2)[0];
        return AGENT_CONFIG.contains(first) ? new BadRequestException(path + "." + first, detail)
                : new BadRequestException(path, detail);
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
}
