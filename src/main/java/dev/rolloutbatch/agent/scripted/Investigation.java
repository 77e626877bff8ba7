package dev.rolloutbatch.agent.scripted;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the scripted agent has learned so far, parsed from observations with deliberately limited heuristics: it
 * reads pod, deployment, service and endpoint tables, Pending events and error lines in logs, and follows the
 * service an error line names. It does not read metrics or traces and knows no database administration, so some
 * fault families stay out of its reach.
 */
final class Investigation {

    enum Symptom { CRASH, NOT_READY, RESTARTED, STOPPED, PENDING, SCALED_ZERO, PORT_MISMATCH, NO_ENDPOINTS }

    private static final Pattern ERROR = Pattern.compile(
            "\\b(error|failed|refused|exceeded|unauthorized|not authorized|panic|exception|fatal|unavailable)\\b",
            Pattern.CASE_INSENSITIVE);

    final Set<String> services = new LinkedHashSet<>();
    final Map<String, Symptom> suspects = new LinkedHashMap<>();
    final Map<String, Integer> servicePorts = new LinkedHashMap<>();
    final Map<String, Integer> endpointPorts = new LinkedHashMap<>();
    final Set<String> logsRead = new LinkedHashSet<>();
    boolean errorsSeen;
    boolean authErrors;
    boolean nodeSelectorPending;
    String culprit;

    static List<String[]> rows(String table) {
        List<String[]> rows = new ArrayList<>();
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                rows.add(lines[i].trim().split("\\s{2,}|\\s+(?=\\S)"));
            }
        }
        return rows;
    }

    static String serviceOfPod(String pod, boolean docker) {
        if (docker) {
            return pod;
        }
        String[] parts = pod.split("-");
        return parts.length > 2 ? String.join("-", java.util.Arrays.copyOf(parts, parts.length - 2)) : pod;
    }

    void readPods(String table, boolean docker) {
        if (!table.contains("NAME")) {
            return;
        }
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (docker) {
                String name = f[f.length - 1];
                services.add(name);
                if (lines[i].contains("Exited")) {
                    suspects.putIfAbsent(name, Symptom.STOPPED);
                }
                continue;
            }
            if (f.length < 4) {
                continue;
            }
            String service = serviceOfPod(f[0], false);
            services.add(service);
            String[] ready = f[1].split("/");
            String status = f[2];
            int restarts = parse(f[3]);
            if (status.equals("Pending")) {
                suspects.putIfAbsent(service, Symptom.PENDING);
            }
            else if (!status.equals("Running")) {
                suspects.putIfAbsent(service, Symptom.CRASH);
            }
            else if (ready.length == 2 && !ready[0].equals(ready[1])) {
                suspects.putIfAbsent(service, Symptom.NOT_READY);
            }
            else if (restarts > 0) {
                suspects.putIfAbsent(service, Symptom.RESTARTED);
            }
        }
    }

    void readDeployments(String table) {
        for (String[] f : rows(table)) {
            if (f.length >= 2) {
                services.add(f[0]);
                if (f[1].equals("0/0")) {
                    suspects.putIfAbsent(f[0], Symptom.SCALED_ZERO);
                }
            }
        }
    }

    void readServices(String table) {
        Pattern port = Pattern.compile("^(\\d+)/");
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && !f[0].equals("NAME")) {
                Matcher m = port.matcher(f[4]);
                if (m.find()) {
                    servicePorts.put(f[0], Integer.parseInt(m.group(1)));
                }
            }
        }
    }

    void readEndpoints(String table) {
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && !f[0].equals("NAME")) {
                if (f[1].equals("<none>")) {
                    if (!suspects.containsKey(f[0]) && servicePorts.containsKey(f[0])) {
                        suspects.put(f[0], Symptom.NO_ENDPOINTS);
                    }
                    continue;
                }
                String first = f[1].split(",")[0];
                int port = parse(first.substring(first.lastIndexOf(':') + 1));
                endpointPorts.put(f[0], port);
                Integer expected = servicePorts.get(f[0]);
                if (expected != null && expected != port) {
                    suspects.putIfAbsent(f[0], Symptom.PORT_MISMATCH);
                }
            }
        }
    }

    void readEvents(String events) {
        if (events.contains("didn't match Pod's node affinity/selector")) {
            nodeSelectorPending = true;
        }
    }

    /** Reads a service's logs; returns the other service its error lines blame, or null. */
    String readLogs(String service, String logs) {
        logsRead.add(service);
        String blamed = null;
        int longest = 0;
        for (String line : logs.split("\n")) {
            if (!ERROR.matcher(line).find()) {
                continue;
            }
            errorsSeen = true;
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.contains("authentication") || lower.contains("authorized")) {
                authErrors = true;
            }
            for (String candidate : services) {
                if (!candidate.equals(service) && candidate.length() > longest
                        && Pattern.compile("(?<![\\w-])" + Pattern.quote(candidate) + "(?![\\w-])").matcher(line).find()) {
                    blamed = candidate;
                    longest = candidate.length();
                }
            }
        }
        return blamed;
    }

    static int parse(String text) {
        try {
            return Integer.parseInt(text.replaceAll("\\D.*", ""));
        }
        catch (NumberFormatException ex) {
            return 0;
        }
    }
}
