package dev.rolloutbatch.environment.simulated;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CSV printed the way AIOpsLab's {@code read_metrics} and {@code read_traces} print it: read with pandas and
 * shown with {@code DataFrame.to_string(index=False)}, i.e. every column right-aligned to its widest cell, columns
 * separated by one space, floats of a column with a common number of decimals (at least one, at most six).
 * AIOpsLab: aiopslab/orchestrator/actions/base.py (read_metrics, read_traces)
 */
final class PandasTable {

    private PandasTable() {
    }

    static String render(String csv) {
        List<String> lines = csv.lines().filter(l -> !l.isEmpty()).toList();
        List<String> headers = List.of(lines.getFirst().split(",", -1));
        if (lines.size() == 1) {
            return "Empty DataFrame\nColumns: [" + String.join(", ", headers) + "]\nIndex: []";
        }
        int columns = headers.size();
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(",", -1));
        }
        String[][] cells = new String[rows.size() + 1][columns];
        int[] widths = new int[columns];
        for (int col = 0; col < columns; col++) {
            List<String> values = new ArrayList<>();
            for (String[] row : rows) {
                values.add(col < row.length ? row[col] : "");
            }
            List<String> shown = column(values);
            cells[0][col] = headers.get(col);
            widths[col] = headers.get(col).length();
            for (int i = 0; i < shown.size(); i++) {
                cells[i + 1][col] = shown.get(i);
                widths[col] = Math.max(widths[col], shown.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            for (int col = 0; col < columns; col++) {
                if (col > 0) {
                    out.append(' ');
                }
                out.repeat(' ', widths[col] - cells[i][col].length()).append(cells[i][col]);
            }
        }
        return out.toString();
    }

    /** A column's cells as pandas shows them after inferring the column's type. */
    private static List<String> column(List<String> values) {
        if (values.stream().allMatch(PandasTable::isInteger)) {
            return values;
        }
        if (values.stream().allMatch(PandasTable::isNumber)) {
            int decimals = 1;
            for (String v : values) {
                decimals = Math.max(decimals, Math.max(0, new BigDecimal(v).stripTrailingZeros().scale()));
            }
            int d = Math.min(decimals, 6);
            return values.stream().map(v -> String.format(Locale.ROOT, "%." + d + "f", Double.parseDouble(v))).toList();
        }
        return values.stream().map(v -> v.isEmpty() ? "NaN" : v).toList();
    }

    private static boolean isInteger(String v) {
        if (v.isEmpty()) {
            return false;
        }
        int start = v.charAt(0) == '-' ? 1 : 0;
        if (start == v.length()) {
            return false;
        }
        for (int i = start; i < v.length(); i++) {
            if (!Character.isDigit(v.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String v) {
        try {
            new BigDecimal(v);
            return true;
        }
        catch (NumberFormatException ex) {
            return false;
        }
    }
}
