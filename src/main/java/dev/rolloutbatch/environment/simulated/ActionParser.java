package dev.rolloutbatch.environment.simulated;

import java.util.List;
import java.util.Map;

/**
 * Reads one action the way AIOpsLab's orchestrator does (AIOpsLab: aiopslab/orchestrator/parser.py,
 * {@code parse_api_name} and {@code parse_args}): the API name is the text before the first {@code (}, the
 * arguments are the text between the first {@code (} and the last {@code )} (so words after the call are
 * ignored), {@code exec_shell} takes one quoted string read without escape processing except for escaped
 * quotes, and every other API takes Python literals.
 * <p>
 * Known remaining differences: AIOpsLab evaluates the arguments with Python's {@code ast}, which rejects negative
 * number literals and tuples nested in a list; {@link PyCallParser} accepts both.
 */
final class ActionParser {

    /** The action could not be read; the message is what the agent is shown. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    private ActionParser() {
    }

    static PyCall parse(String block) throws Rejected {
        String text = block == null ? "" : block;
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < 0) {
            throw new Rejected("Error parsing your action: no API call found. Write the call as name(arguments), with "
                    + "its parentheses.");
        }
        String name = text.substring(0, open).strip();
        // Python's slice text[open + 1:close] is empty when the last ')' comes before the first '('
        String arguments = close > open ? text.substring(open + 1, close).strip() : "";
        if (arguments.isEmpty()) {
            return new PyCall(name, List.of(), Map.of());
        }
        if (name.equals("exec_shell")) {
            return new PyCall(name, List.of(shellCommand(arguments)), Map.of());
        }
        try {
            PyCall call = PyCallParser.parse("f(" + arguments + ")");
            return new PyCall(name, call.args(), call.kwargs());
        }
        catch (PyCallParser.SyntaxError ex) {
            throw new Rejected("Error parsing your action: the arguments are not valid Python literals (" + ex.getMessage()
                    + ").");
        }
    }

    /** AIOpsLab's special case for the shell: one quoted string, optionally written as {@code command=...}. */
    private static String shellCommand(String arguments) throws Rejected {
        String text = arguments;
        if (text.startsWith("command=")) {
            // like Python's str.replace, every occurrence goes, not only the prefix
            text = text.replace("command=", "").strip();
        }
        String command;
        if (text.startsWith("\"") && text.endsWith("\"")) {
            command = stripAll(text, '"');
        }
        else if (text.startsWith("'") && text.endsWith("'")) {
            command = stripAll(text, '\'');
        }
        else {
            throw new Rejected("Error parsing your action: exec_shell takes exactly one quoted string, the command.");
        }
        return command.replace("\\\"", "\"").replace("\\'", "'");
    }

    /** Python's {@code str.strip(quote)}: every leading and trailing quote character goes. */
    private static String stripAll(String text, char quote) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == quote) {
            start++;
        }
        while (end > start && text.charAt(end - 1) == quote) {
            end--;
        }
        return text.substring(start, end);
    }
}
