package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one API call written in Python syntax, e.g. {@code get_logs("ns", service='svc')} or
 * {@code submit({"system_level": "Application"})}. Supports strings (both quote kinds, escapes, adjacent
 * literals), ints, floats, True/False/None, lists, tuples, dicts and keyword arguments. Never evaluates
 * anything.
 */
final class PyCallParser {

    /** The call could not be parsed; the message says where and why. */
    static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;

    private PyCallParser(String text) {
        this.text = text;
    }

    static PyCall parse(String input) throws SyntaxError {
        if (input == null || input.isBlank()) {
            throw new SyntaxError("empty action");
        }
        PyCallParser parser = new PyCallParser(input.strip());
        PyCall call = parser.call();
        parser.skipSpace();
        if (parser.pos < parser.text.length()) {
            throw parser.error("unexpected text after the call");
        }
        return call;
    }

    private PyCall call() throws SyntaxError {
        skipSpace();
        String name = identifier();
        if (name.isEmpty()) {
            throw error("expected an API name");
        }
        skipSpace();
        expect('(');
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        skipSpace();
        while (peek() != ')') {
            int mark = pos;
            String keyword = identifier();
            skipSpace();
            if (!keyword.isEmpty() && peek() == '=' && peekAt(1) != '=') {
                pos++;
                if (kwargs.containsKey(keyword)) {
                    throw error("keyword argument repeated: " + keyword);
                }
                kwargs.put(keyword, value());
            }
            else {
                pos = mark;
                if (!kwargs.isEmpty()) {
                    throw error("positional argument follows keyword argument");
                }
                args.add(value());
            }
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            }
            else if (peek() != ')') {
                throw error("expected ',' or ')'");
            }
        }
        pos++;
        return new PyCall(name, args, kwargs);
    }

    private Object value() throws SyntaxError {
        skipSpace();
        char c = peek();
        if (c == '"' || c == '\'') {
            StringBuilder joined = new StringBuilder(string());
            skipSpace();
            while (peek() == '"' || peek() == '\'') {
                joined.append(string());
                skipSpace();
            }
            return joined.toString();
        }
        if ((c == 'r' || c == 'R') && (peekAt(1) == '"' || peekAt(1) == '\'')) {
            pos++;
            return rawString();
        }
        if (c == '[') {
            pos++;
            return sequence(']');
        }
        if (c == '(') {
            pos++;
            return sequence(')');
        }
        if (c == '{') {
            pos++;
            return dict();
        }
        if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
            return number();
        }
        String word = identifier();
        return switch (word) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> null;
            case "" -> throw error("expected a value");
            default -> throw error("name '" + word + "' is not defined (only literals are allowed)");
        };
    }

    private List<Object> sequence(char close) throws SyntaxError {
        List<Object> items = new ArrayList<>();
        skipSpace();
        while (peek() != close) {
            items.add(value());
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            }
            else if (peek() != close) {
                throw error("expected ',' or '" + close + "'");
            }
        }
        pos++;
        return items;
    }

    private Map<String, Object> dict() throws SyntaxError {
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        while (peek() != '}') {
            Object key = value();
            if (key instanceof List<?> || key instanceof Map<?, ?>) {
                throw error("unhashable dict key");
            }
            skipSpace();
            expect(':');
            map.put(String.valueOf(key), value());
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            }
            else if (peek() != '}') {
                throw error("expected ',' or '}'");
            }
        }
        pos++;
        return map;
    }

    private String string() throws SyntaxError {
        char quote = text.charAt(pos);
        boolean triple = text.startsWith(String.valueOf(quote).repeat(3), pos);
        pos += triple ? 3 : 1;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string literal");
            }
            char c = text.charAt(pos);
            if (c == quote && (!triple || text.startsWith(String.valueOf(quote).repeat(3), pos))) {
                pos += triple ? 3 : 1;
                return out.toString();
            }
            if (c == '\n' && !triple) {
                throw error("unterminated string literal");
            }
            if (c == '\\') {
                pos++;
                if (pos >= text.length()) {
                    throw error("unterminated string literal");
                }
                char e = text.charAt(pos);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '0' -> out.append('\0');
                    case '\\', '\'', '"' -> out.append(e);
                    case '\n' -> { }
                    case 'u' -> {
                        if (pos + 4 >= text.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos + 1, pos + 5), 16));
                        }
                        catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> out.append('\\').append(e);
                }
                pos++;
                continue;
            }
            out.append(c);
            pos++;
        }
    }

    private String rawString() throws SyntaxError {
        char quote = text.charAt(pos++);
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != quote) {
            pos += text.charAt(pos) == '\\' ? 2 : 1;
        }
        if (pos >= text.length()) {
            throw error("unterminated string literal");
        }
        return text.substring(start, pos++);
    }

    private Object number() throws SyntaxError {
        int start = pos;
        if (peek() == '-' || peek() == '+') {
            pos++;
        }
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.'
                || text.charAt(pos) == '_'
                || ((text.charAt(pos) == '-' || text.charAt(pos) == '+')
                        && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E')))) {
            pos++;
        }
        String literal = text.substring(start, pos).replace("_", "");
        try {
            if (literal.matches("[+-]?\\d+")) {
                return Long.parseLong(literal);
            }
            return Double.parseDouble(literal);
        }
        catch (NumberFormatException ex) {
            throw error("invalid number literal '" + literal + "'");
        }
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                || (text.charAt(pos) == '.' && pos > start))) {
            if (pos == start && Character.isDigit(text.charAt(pos))) {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    private void expect(char c) throws SyntaxError {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char peekAt(int offset) {
        return pos + offset < text.length() ? text.charAt(pos + offset) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private SyntaxError error(String what) {
        return new SyntaxError(what + " at position " + pos + (pos >= text.length() ? " (end of input)" : ""));
    }
}
