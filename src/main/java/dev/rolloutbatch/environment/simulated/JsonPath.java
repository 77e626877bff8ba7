package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/** The subset of kubectl's JSONPath templates agents use: {@code {.a.b[0].c}} and {@code {.items[*].metadata.name}}. */
final class JsonPath {

    private static final Pattern EXPRESSION = Pattern.compile("\\{([^{}]*)}");

    private JsonPath() {
    }

    static String evaluate(JsonNode root, String template) {
        String t = template;
        if (t.length() > 1 && (t.startsWith("'") && t.endsWith("'") || t.startsWith("\"") && t.endsWith("\""))) {
            t = t.substring(1, t.length() - 1);
        }
        StringBuilder out = new StringBuilder();
        Matcher m = EXPRESSION.matcher(t);
        int last = 0;
        while (m.find()) {
            out.append(t, last, m.start());
            String expression = m.group(1).strip();
            if (expression.startsWith("range") || expression.equals("end")) {
                return "error: range templates are not supported here; use {.items[*].field}";
            }
            if (expression.equals("\"\\n\"") || expression.equals("'\\n'")) {
                out.append('\n');
            }
            else {
                List<JsonNode> values = select(root, expression);
                List<String> texts = new ArrayList<>();
                for (JsonNode v : values) {
                    texts.add(v.isValueNode() ? v.asString() : v.toString());
                }
                out.append(String.join(" ", texts));
            }
            last = m.end();
        }
        out.append(t.substring(last));
        return out.toString();
    }

    static List<JsonNode> select(JsonNode root, String expression) {
        List<JsonNode> current = new ArrayList<>(List.of(root));
        String path = expression.startsWith("$") ? expression.substring(1) : expression;
        Matcher step = Pattern.compile("\\.([^.\\[]+)|\\[(\\*|\\d+)]|\\['([^']+)']").matcher(path);
        while (step.find()) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                if (step.group(1) != null || step.group(3) != null) {
                    JsonNode child = node.get(step.group(1) != null ? step.group(1) : step.group(3));
                    if (child != null) {
                        next.add(child);
                    }
                }
                else if (step.group(2).equals("*")) {
                    node.forEach(next::add);
                }
                else if (node.isArray() && Integer.parseInt(step.group(2)) < node.size()) {
                    next.add(node.get(Integer.parseInt(step.group(2))));
                }
            }
            current = next;
        }
        return current;
    }
}
