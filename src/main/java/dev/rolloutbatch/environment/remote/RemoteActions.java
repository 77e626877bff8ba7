package dev.rolloutbatch.environment.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import dev.rolloutbatch.catalog.TaskType;
import dev.rolloutbatch.environment.ActionSpec;
import dev.rolloutbatch.environment.ActionSpec.Parameter;

/**
 * Turns the {@code actions} of a start response into {@link ActionSpec}s. Accepts a map name → docstring (what
 * AIOpsLab's {@code get_actions} returns), a list of names, or a list of objects {@code {name, description,
 * parameters}}. Parameters come from the docstring's {@code Args:} section ({@code name (type): description}),
 * else from the known signatures of AIOpsLab's actions.
 */
final class RemoteActions {

    private static final Pattern ARG = Pattern.compile("^\\s*(\\w+)\\s*\\(([^)]*)\\)\\s*:\\s*(.*)$");

    private RemoteActions() {
    }

    static List<ActionSpec> parse(JsonNode actions, TaskType taskType) {
        List<ActionSpec> specs = new ArrayList<>();
        if (actions.isObject()) {
            for (Map.Entry<String, JsonNode> e : actions.properties()) {
                String doc = e.getValue().isString() ? e.getValue().asString() : e.getValue().path("description").asString("");
                specs.add(spec(e.getKey(), doc, e.getValue().isObject() ? e.getValue().get("parameters") : null, taskType));
            }
        }
        else {
            for (JsonNode item : actions) {
                if (item.isString()) {
                    specs.add(spec(item.asString(), "", null, taskType));
                }
                else if (item.isObject() && item.has("name")) {
                    specs.add(spec(item.get("name").asString(), item.path("description").asString(""), item.get("parameters"), taskType));
                }
            }
        }
        return List.copyOf(specs);
    }

    private static ActionSpec spec(String name, String doc, JsonNode parameters, TaskType taskType) {
        List<Parameter> params = new ArrayList<>();
        if (parameters != null && parameters.isArray()) {
            for (JsonNode p : parameters) {
                params.add(new Parameter(p.path("name").asString(), p.path("type").asString(""),
                        p.path("description").asString(""), p.path("required").asBoolean(true)));
            }
        }
        if (params.isEmpty()) {
            params.addAll(fromDocstring(doc));
        }
        if (params.isEmpty()) {
            params.addAll(known(name, taskType));
        }
        return new ActionSpec(name, doc, List.copyOf(params));
    }

    static List<Parameter> fromDocstring(String doc) {
        List<Parameter> params = new ArrayList<>();
        boolean inArgs = false;
        for (String line : doc.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.equals("Args:") || trimmed.equals("Arguments:") || trimmed.equals("Parameters:")) {
                inArgs = true;
                continue;
            }
            if (inArgs && (trimmed.endsWith(":") && !trimmed.contains("(") || trimmed.startsWith("Returns"))) {
                break;
            }
            Matcher m = ARG.matcher(line);
            if (inArgs && m.matches()) {
                String type = m.group(2).replace(", optional", "").strip();
                params.add(new Parameter(m.group(1), jsonType(type), m.group(3).strip(), !m.group(2).contains("optional")));
            }
        }
        return params;
    }

    private static String jsonType(String python) {
        String t = python.toLowerCase();
        if (t.startsWith("str")) {
            return "string";
        }
        if (t.startsWith("int")) {
            return "integer";
        }
        if (t.startsWith("float")) {
            return "number";
        }
        if (t.startsWith("list")) {
            return "array";
        }
        if (t.startsWith("dict")) {
            return "object";
        }
        if (t.startsWith("bool")) {
            return "boolean";
        }
        return "";
    }

    private static List<Parameter> known(String name, TaskType taskType) {
        return switch (name) {
            case "get_logs" -> List.of(p("namespace", "string"), p("service", "string"));
            case "get_metrics", "get_traces" -> List.of(p("namespace", "string"), p("duration", "integer"));
            case "read_metrics", "read_traces" -> List.of(p("file_path", "string"));
            case "exec_shell" -> List.of(p("command", "string"));
            case "submit" -> switch (taskType) {
                case DETECTION -> List.of(p("has_anomaly", "string"));
                case LOCALIZATION -> List.of(p("faulty_components", "array"));
                case ANALYSIS -> List.of(p("analysis", "object"));
                case MITIGATION -> List.of();
            };
            default -> List.of();
        };
    }

    private static Parameter p(String name, String type) {
        return new Parameter(name, type, name, true);
    }
}
