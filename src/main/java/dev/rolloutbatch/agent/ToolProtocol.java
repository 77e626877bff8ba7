package dev.rolloutbatch.agent;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.ToolCall;
import dev.rolloutbatch.environment.ActionSpec;

/**
 * Native tool calling: the actions are offered as OpenAI function tools, and each tool call is turned into the
 * same one-line API call the text protocol would have written, so environments see one action language.
 */
public final class ToolProtocol {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ToolProtocol() {
    }

    /** The OpenAI {@code tools} array for these actions. */
    public static String toolsJson(List<ActionSpec> actions) {
        ArrayNode tools = JSON.createArrayNode();
        for (ActionSpec spec : actions) {
            ObjectNode function = tools.addObject().put("type", "function").putObject("function");
            function.put("name", spec.name()).put("description", spec.description());
            ObjectNode parameters = function.putObject("parameters").put("type", "object");
            ObjectNode properties = parameters.putObject("properties");
            ArrayNode required = parameters.putArray("required");
            for (ActionSpec.Parameter parameter : spec.parameters()) {
                ObjectNode property = properties.putObject(parameter.name());
                if (parameter.type() != null && !parameter.type().isEmpty()) {
                    property.put("type", parameter.type());
                    if ("array".equals(parameter.type())) {
                        property.putObject("items").put("type", "string");
                    }
                }
                property.put("description", parameter.description());
                if (parameter.required()) {
                    required.add(parameter.name());
                }
            }
        }
        return JSON.writeValueAsString(tools);
    }

    /** One action per tool call of the assistant message; none when it made no call. */
    public static List<AgentAction> extract(ChatMessage assistant, List<ActionSpec> actions) {
        List<AgentAction> result = new ArrayList<>();
        for (ToolCall call : assistant.toolCalls()) {
            result.add(toAction(call, actions));
        }
        return result;
    }

    static AgentAction toAction(ToolCall call, List<ActionSpec> actions) {
        ActionSpec spec = actions.stream().filter(a -> a.name().equals(call.name())).findFirst().orElse(null);
        if (spec == null) {
            return AgentAction.invalid("Error: unknown tool '" + call.name() + "'.", call.id());
        }
        JsonNode arguments;
        try {
            arguments = call.arguments() == null || call.arguments().isBlank() ? JSON.createObjectNode()
                    : JSON.readTree(call.arguments());
        }
        catch (RuntimeException ex) {
            return AgentAction.invalid("Error: the arguments of " + call.name() + " are not valid JSON: "
                    + ex.getMessage(), call.id());
        }
        if (!arguments.isObject()) {
            return AgentAction.invalid("Error: the arguments of " + call.name() + " must be a JSON object.", call.id());
        }
        List<String> rendered = new ArrayList<>();
        for (ActionSpec.Parameter parameter : spec.parameters()) {
            JsonNode value = arguments.get(parameter.name());
            if (value == null || value.isNull()) {
                if (parameter.required()) {
                    return AgentAction.invalid("Error: " + call.name() + " needs the argument '" + parameter.name()
                            + "'.", call.id());
                }
                continue;
            }
            rendered.add(python(value));
        }
        if (spec.name().equals("exec_shell") && arguments.path("command").isString()) {
            // the shell's one argument is read by AIOpsLab's shell rule, not as a Python literal
            return AgentAction.call(TextProtocol.shellCall(arguments.get("command").asString()), call.id());
        }
        return AgentAction.call(call.name() + "(" + String.join(", ", rendered) + ")", call.id());
    }

    /** A JSON value as a Python literal. */
    static String python(JsonNode value) {
        if (value.isString()) {
            return pythonString(value.asString());
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "True" : "False";
        }
        if (value.isNull()) {
            return "None";
        }
        if (value.isNumber()) {
            return value.asString();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(python(item)));
            return "[" + String.join(", ", items) + "]";
        }
        List<String> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            entries.add(pythonString(entry.getKey()) + ": " + python(entry.getValue()));
        }
        return "{" + String.join(", ", entries) + "}";
    }

    static String pythonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
