package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** kubectl's command line: positional words and flags ({@code -n ns}, {@code --namespace=ns}, {@code -oyaml}). */
final class KubectlArgs {

    private static final Set<String> WITH_VALUE = Set.of("n", "namespace", "o", "output", "l", "selector", "patch",
            "type", "replicas", "tail", "c", "container", "since", "field-selector", "sort-by", "f", "filename",
            "to-revision", "context", "timeout", "grace-period", "revision", "image");

    private static final Pattern NEGATIVE_NUMBER = Pattern.compile("-\\d+");

    final List<String> positional = new ArrayList<>();
    final Map<String, String> flags = new HashMap<>();
    final List<String> afterDashes = new ArrayList<>();

    KubectlArgs(List<String> words, boolean patchMode) {
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--")) {
                afterDashes.addAll(words.subList(i + 1, words.size()));
                return;
            }
            if (w.startsWith("--") && w.length() > 2) {
                String name = w.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    flags.put(name.substring(0, eq), name.substring(eq + 1));
                }
                else if (WITH_VALUE.contains(name) && i + 1 < words.size()) {
                    flags.put(name, words.get(++i));
                }
                else {
                    flags.put(name, "true");
                }
            }
            else if (w.startsWith("-") && w.length() > 1 && !NEGATIVE_NUMBER.matcher(w).matches()) {
                String name = w.substring(1, 2);
                String rest = w.substring(2);
                if (rest.startsWith("=")) {
                    rest = rest.substring(1);
                }
                boolean takesValue = WITH_VALUE.contains(name) || (patchMode && name.equals("p"));
                if (takesValue && !rest.isEmpty()) {
                    flags.put(name, rest);
                }
                else if (takesValue && i + 1 < words.size()) {
                    flags.put(name, words.get(++i));
                }
                else {
                    for (char ch : w.substring(1).toCharArray()) {
                        flags.put(String.valueOf(ch), "true");
                    }
                }
            }
            else {
                positional.add(w);
            }
        }
    }

    String get(String shortName, String longName) {
        String value = shortName == null ? null : flags.get(shortName);
        return value != null ? value : flags.get(longName);
    }

    boolean has(String shortName, String longName) {
        return get(shortName, longName) != null;
    }
}
