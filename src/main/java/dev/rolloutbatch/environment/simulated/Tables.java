package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** kubectl's column tables. */
final class Tables {

    private static final Set<String> WIDE_ONLY = Set.of("IP", "NODE", "NOMINATED NODE", "READINESS GATES", "SELECTOR",
            "CONTAINERS", "IMAGES", "INTERNAL-IP");

    private Tables() {
    }

    static String render(String kind, List<Kubectl.Row> rows, String output, boolean allNamespaces, boolean showLabels,
            boolean prefixKind, boolean noHeaders) {
        String prefix = prefixKind ? Kubectl.singular(kind) + "/" : "";
        if ("name".equals(output)) {
            return String.join("\n", rows.stream().map(r -> Kubectl.singular(kind) + "/" + r.name()).toList());
        }
        boolean wide = "wide".equals(output);
        List<String> headers = new ArrayList<>();
        boolean namespaced = !kind.equals("nodes") && !kind.equals("namespaces") && !kind.equals("pv");
        if (allNamespaces && namespaced) {
            headers.add("NAMESPACE");
        }
        if (!kind.equals("events")) {
            headers.add("NAME");
        }
        for (String column : rows.getFirst().cells().keySet()) {
            if (wide || !WIDE_ONLY.contains(column)) {
                headers.add(column);
            }
        }
        if (showLabels) {
            headers.add("LABELS");
        }
        List<List<String>> table = new ArrayList<>();
        if (!noHeaders) {
            table.add(headers);
        }
        for (Kubectl.Row row : rows) {
            List<String> cells = new ArrayList<>();
            for (String header : headers) {
                cells.add(switch (header) {
                    case "NAMESPACE" -> row.namespace();
                    case "NAME" -> prefix + row.name();
                    case "LABELS" -> labels(row.labels().get());
                    default -> row.cells().getOrDefault(header, "");
                });
            }
            table.add(cells);
        }
        return format(table);
    }

    private static String labels(Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        labels.forEach((k, v) -> parts.add(k + "=" + v));
        return parts.isEmpty() ? "<none>" : String.join(",", parts);
    }

    static String format(List<List<String>> table) {
        if (table.isEmpty()) {
            return "";
        }
        int columns = table.getFirst().size();
        int[] widths = new int[columns];
        for (List<String> row : table) {
            for (int i = 0; i < columns - 1; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (int r = 0; r < table.size(); r++) {
            List<String> row = table.get(r);
            line.setLength(0);
            for (int i = 0; i < columns; i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < columns - 1) {
                    line.repeat(' ', widths[i] + 3 - cell.length());
                }
            }
            if (r > 0) {
                out.append('\n');
            }
            line.setLength(lengthWithoutTrailingSpace(line));
            out.append(line);
        }
        return out.toString();
    }

    /** The length {@link String#stripTrailing()} would keep. */
    private static int lengthWithoutTrailingSpace(CharSequence line) {
        int end = line.length();
        while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        return end;
    }
}
