package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** Splits a shell command line into words (quotes, escapes) and pipeline stages. Never runs anything. */
final class ShellWords {

    private ShellWords() {
    }

    /** Splits on unquoted {@code sep} (e.g. "|", "&&", ";"), keeping quotes inside the parts. */
    static List<String> split(String line, String sep) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
                else if (ch == '\\' && quote == '"' && i + 1 < line.length()) {
                    current.append(ch);
                    ch = line.charAt(++i);
                }
                current.append(ch);
                continue;
            }
            if (ch == '\'' || ch == '"') {
                quote = ch;
                current.append(ch);
                continue;
            }
            if (line.startsWith(sep, i) && !(sep.equals("|") && line.startsWith("||", i))) {
                parts.add(current.toString());
                current.setLength(0);
                i += sep.length() - 1;
                continue;
            }
            current.append(ch);
        }
        parts.add(current.toString());
        return parts;
    }

    /** Words of one simple command, or null when a quote is not closed. */
    static @Nullable List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char ch = command.charAt(i);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
                else if (ch == '\\' && quote == '"' && i + 1 < command.length()
                        && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                    current.append(command.charAt(++i));
                }
                else {
                    current.append(ch);
                }
                continue;
            }
            if (Character.isWhitespace(ch)) {
                if (inWord) {
                    words.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (ch == '\'' || ch == '"') {
                quote = ch;
            }
            else if (ch == '\\' && i + 1 < command.length()) {
                current.append(command.charAt(++i));
            }
            else {
                current.append(ch);
            }
        }
        if (quote != 0) {
            return null;
        }
        if (inWord) {
            words.add(current.toString());
        }
        return words;
    }
}
