package dev.rolloutbatch.environment.simulated;

import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/** Renders a JSON tree as block-style YAML, the way {@code kubectl -o yaml} prints objects. */
final class Yaml {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/.][A-Za-z0-9_./:@+ -]*");
    private static final Pattern RESERVED = Pattern.compile("(?i)true|false|null|yes|no|on|off|~");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_./-]+");

    private Yaml() {
    }

    static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        block(node, 0, out);
        return out.toString();
    }

    private static void block(JsonNode node, int indent, StringBuilder out) {
        String pad = " ".repeat(indent);
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.append(pad).append(key(e.getKey())).append(':');
                value(e.getValue(), indent, out);
            }
        }
        else if (node.isArray()) {
            for (JsonNode item : node) {
                out.append(pad).append('-');
                if (item.isObject() && !item.isEmpty()) {
                    StringBuilder inner = new StringBuilder();
                    block(item, indent + 2, inner);
                    out.append(' ').append(inner.substring(indent + 2));
                }
                else {
                    value(item, indent, out);
                }
            }
        }
    }

    private static void value(JsonNode value, int indent, StringBuilder out) {
        if (value.isObject() && !value.isEmpty()) {
            out.append('\n');
            block(value, indent + 2, out);
        }
        else if (value.isArray() && !value.isEmpty()) {
            out.append('\n');
            block(value, indent, out);
        }
        else {
            out.append(' ').append(scalar(value, indent)).append('\n');
        }
    }

    private static String scalar(JsonNode value, int indent) {
        if (value.isObject()) {
            return "{}";
        }
        if (value.isArray()) {
            return "[]";
        }
        if (value.isNull()) {
            return "null";
        }
        if (!value.isString()) {
            return value.asString();
        }
        String text = value.asString();
        if (text.contains("\n")) {
            String pad = " ".repeat(indent + 2);
            return "|\n" + pad + text.strip().replace("\n", "\n" + pad);
        }
        return plainSafe(text) ? text : "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static boolean plainSafe(String text) {
        return !text.isEmpty() && PLAIN.matcher(text).matches() && !text.endsWith(" ")
                && !RESERVED.matcher(text).matches() && !text.contains(": ");
    }

    private static String key(String key) {
        return PLAIN_KEY.matcher(key).matches() ? key : "\"" + key + "\"";
    }
}
