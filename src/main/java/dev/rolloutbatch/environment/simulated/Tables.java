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
                    case "LABELS" -> labels(row.labels());
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
        List<String> lines = new ArrayList<>();
        for (List<String> row : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i < columns - 1 ? String.format("%-" + (widths[i] + 3) + "s", row.get(i)) : row.get(i));
            }
            lines.add(line.toString().stripTrailing());
        }
        return String.join("\n", lines);
    }
}
