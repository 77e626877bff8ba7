package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * The simulated {@code exec_shell}: understands kubectl (and docker for Docker deployments), simple pipes to
 * grep/head/tail/wc/sort, and a few harmless builtins. Everything else gets the error a shell would give. It never
 * executes anything on the host.
 */
final class Shell {

    private static final Pattern EDIT = Pattern.compile(".*kubectl\\s+(\\S+\\s+)*edit\\b.*");
    private static final Pattern PROXY = Pattern.compile(".*kubectl\\s+proxy\\b.*");
    private static final Pattern STREAMING = Pattern.compile(".*kubectl\\s+(\\S+\\s+)*(logs|get|events|rollout\\s+status)\\b.*");
    private static final Pattern ATTACH = Pattern.compile(".*kubectl\\s+(\\S+\\s+)*(attach)\\b.*");
    private static final Pattern MERGED_STDERR = Pattern.compile("\\s+2>&1\\s*$");
    private static final Pattern DISCARDED_STDERR = Pattern.compile("\\s+2>/dev/null");
    private static final Pattern LINE_COUNT = Pattern.compile("-\\d+");

    private static final Set<String> INTERACTIVE = Set.of("vi", "vim", "nano", "less", "more", "top", "htop",
            "watch", "ssh", "tmux", "screen", "bash", "sh", "python", "python3", "mongo", "mongosh", "k9s");

    private final Cluster cluster;
    private final Kubectl kubectl;
    private final Docker docker;
    private final Map<String, String> files;

    Shell(Cluster cluster, Telemetry telemetry, Map<String, String> files) {
        this.cluster = cluster;
        this.kubectl = new Kubectl(cluster, telemetry);
        this.docker = new Docker(cluster, telemetry);
        this.files = files;
    }

    String run(String line) {
        if (line == null || line.isBlank()) {
            return "Error: empty command.";
        }
        String refusal = refusal(line);
        if (refusal != null) {
            return refusal;
        }
        List<String> outputs = new ArrayList<>();
        for (String part : ShellWords.split(line, "&&")) {
            for (String command : ShellWords.split(part, ";")) {
                if (!command.isBlank()) {
                    outputs.add(pipeline(command.strip()));
                }
            }
        }
        String output = String.join("\n", outputs.stream().filter(o -> !o.isEmpty()).toList());
        return output.isEmpty() ? "" : output;
    }

    static @Nullable String refusal(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        List<String> words = ShellWords.words(line);
        if (words == null) {
            return null;
        }
        // each pattern needs its literal word, so the cheap test goes first
        if (lower.contains("edit") && EDIT.matcher(lower).matches()) {
            return "Error: Cannot use `kubectl edit`: this is not an interactive shell. Use `kubectl patch` instead.";
        }
        if (lower.contains("port-forward") || lower.contains("proxy") && PROXY.matcher(lower).matches()) {
            return "Error: Cannot use `kubectl port-forward` or `kubectl proxy`: long-running commands are not allowed in this shell.";
        }
        if (words.stream().anyMatch(w -> w.equals("-f") && lower.contains("logs") || w.equals("--follow")
                || w.equals("-w") || w.equals("--watch")) && STREAMING.matcher(lower).matches()) {
            return "Error: Cannot use `-f`/`--follow`/`--watch`: this is not a stateful or interactive shell session. "
                    + "Run the command without it.";
        }
        if (lower.contains("attach") && ATTACH.matcher(lower).matches()
                || words.stream().anyMatch(w -> w.equals("-it") || w.equals("-ti") || w.equals("--stdin") || w.equals("--tty"))) {
            return "Error: Cannot run interactive commands (kubectl attach, exec -it): this is not an interactive "
                    + "shell session. Run a single non-interactive command instead, e.g. kubectl exec <pod> -- <command>.";
        }
        String first = words.isEmpty() ? "" : words.getFirst();
        if (INTERACTIVE.contains(first) && words.size() <= 2) {
            return "Error: Cannot run interactive program `" + first + "`: this is not a stateful or interactive shell session.";
        }
        if (first.equals("sudo") || first.equals("rm") && lower.contains("-r")) {
            return "Error: `" + first + "` is not allowed in this environment.";
        }
        return null;
    }

    private String pipeline(String command) {
        List<String> stages = ShellWords.split(command, "|");
        String output = simple(stages.getFirst().strip());
        for (String stage : stages.subList(1, stages.size())) {
            output = filter(stage.strip(), output);
        }
        return output;
    }

    private String simple(String command) {
        String redirected = DISCARDED_STDERR.matcher(MERGED_STDERR.matcher(command).replaceAll("")).replaceAll("");
        List<String> words = ShellWords.words(redirected);
        if (words == null) {
            return "bash: -c: line 1: unexpected EOF while looking for matching quote";
        }
        if (words.isEmpty()) {
            return "";
        }
        String name = words.getFirst();
        List<String> args = words.subList(1, words.size());
        return switch (name) {
            case "kubectl", "k" -> kubectl.run(args);
            case "docker" -> docker.run(args);
            case "echo" -> String.join(" ", args);
            case "pwd" -> PrometheusExport.WORKING_DIRECTORY;
            case "whoami" -> "aiopslab";
            case "hostname" -> "aiopslab-orchestrator";
            case "date" -> SimulatedTime.instant(cluster.seed, cluster.now).toString();
            case "ls" -> ls(args);
            case "cat", "head", "tail" -> args.isEmpty() ? "" : files.getOrDefault(absolute(args.getLast()),
                    name + ": " + args.getLast() + ": No such file or directory");
            case "curl", "wget" -> name + ": (6) Could not resolve host: " + (args.isEmpty() ? "" : args.getLast())
                    + " (the orchestrator cannot reach cluster-internal addresses; use kubectl)";
            case "helm" -> "Error: unknown command \"" + (args.isEmpty() ? "" : args.getFirst()) + "\" for \"helm\"";
            default -> "bash: " + name + ": command not found";
        };
    }

    private static String absolute(String path) {
        return path.startsWith("/") ? path : PrometheusExport.WORKING_DIRECTORY + "/" + path;
    }

    /** ls over the files the telemetry actions exported (the only files the twin's working directory holds). */
    private String ls(List<String> args) {
        boolean longFormat = args.stream().anyMatch(a -> a.startsWith("-") && a.contains("l"));
        List<String> paths = args.stream().filter(a -> !a.startsWith("-")).toList();
        String target = paths.isEmpty() ? PrometheusExport.WORKING_DIRECTORY : absolute(paths.getLast());
        if (files.containsKey(target)) {
            return paths.getLast();
        }
        String prefix = target.endsWith("/") ? target : target + "/";
        java.util.TreeMap<String, Boolean> entries = new java.util.TreeMap<>();
        for (String file : files.keySet()) {
            if (file.startsWith(prefix) && file.length() > prefix.length()) {
                String rest = file.substring(prefix.length());
                int slash = rest.indexOf('/');
                entries.put(slash < 0 ? rest : rest.substring(0, slash), slash >= 0);
            }
        }
        if (entries.isEmpty() && !target.equals(PrometheusExport.WORKING_DIRECTORY)) {
            return "ls: cannot access '" + paths.getLast() + "': No such file or directory";
        }
        if (!longFormat) {
            return String.join("\n", entries.keySet());
        }
        StringBuilder out = new StringBuilder("total " + entries.size() * 4);
        entries.forEach((entry, directory) -> out.append('\n').append(directory ? "drwxr-xr-x 2" : "-rw-r--r-- 1")
            .append(" aiopslab aiopslab ").append(directory ? 4096 : files.getOrDefault(prefix + entry, "").length())
            .append(' ').append(entry));
        return out.toString();
    }

    private static String filter(String stage, String input) {
        List<String> words = ShellWords.words(stage);
        if (words == null || words.isEmpty()) {
            return "bash: syntax error near unexpected token `|'";
        }
        List<String> lines = input.isEmpty() ? List.of() : Arrays.asList(input.split("\n", -1));
        List<String> args = words.subList(1, words.size());
        return switch (words.getFirst()) {
            case "grep", "egrep" -> grep(args, lines);
            case "head" -> String.join("\n", lines.subList(0, Math.min(lines.size(), count(args, 10))));
            case "tail" -> String.join("\n", lines.subList(Math.max(0, lines.size() - count(args, 10)), lines.size()));
            case "wc" -> String.valueOf(args.contains("-l") ? lines.size() : input.length());
            case "sort" -> String.join("\n", lines.stream().sorted().toList());
            case "cat" -> input;
            default -> "bash: " + words.getFirst() + ": command not found";
        };
    }

    private static int count(List<String> args, int fallback) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-n") && i + 1 < args.size()) {
                return parse(args.get(i + 1), fallback);
            }
            if (LINE_COUNT.matcher(a).matches()) {
                return parse(a.substring(1), fallback);
            }
            if (a.startsWith("-n")) {
                return parse(a.substring(2), fallback);
            }
        }
        return fallback;
    }

    private static int parse(String text, int fallback) {
        try {
            return Math.max(0, Integer.parseInt(text));
        }
        catch (NumberFormatException ex) {
            return fallback;
        }
    }

    private static String grep(List<String> args, List<String> lines) {
        boolean ignoreCase = false;
        boolean invert = false;
        String pattern = null;
        for (String arg : args) {
            if (arg.startsWith("-") && pattern == null && arg.length() > 1) {
                ignoreCase |= arg.contains("i");
                invert |= arg.contains("v");
            }
            else if (pattern == null) {
                pattern = arg;
            }
        }
        if (pattern == null) {
            return "Usage: grep [OPTION]... PATTERNS [FILE]...";
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern.replace("\\|", "|"), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        }
        catch (PatternSyntaxException ex) {
            compiled = Pattern.compile(Pattern.quote(pattern), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        }
        Pattern p = compiled;
        boolean inv = invert;
        return String.join("\n", lines.stream().filter(l -> p.matcher(l).find() != inv).toList());
    }
}
