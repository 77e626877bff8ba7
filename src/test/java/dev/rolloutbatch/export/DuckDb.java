package dev.rolloutbatch.export;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DuckDB as the independent Parquet reader of the tests. */
final class DuckDb {

    private DuckDb() {
    }

    static String parquet(Path dir) {
        return "read_parquet('" + dir.toAbsolutePath() + "/*.parquet')";
    }

    static List<Map<String, Object>> query(String sql) {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    // JSON columns come back as DuckDB's JsonNode: compare them as their text
                    row.put(rs.getMetaData().getColumnLabel(i), value instanceof java.sql.Array a ? a.toString()
                            : value instanceof org.duckdb.JsonNode json ? json.toString() : value);
                }
                rows.add(row);
            }
            return rows;
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
        }
    }

    static Object single(String sql) {
        return query(sql).getFirst().values().iterator().next();
    }

    /** Column name → DuckDB type, without the quotes DuckDB puts around keywords. */
    static Map<String, String> describe(Path dir) {
        Map<String, String> types = new LinkedHashMap<>();
        for (Map<String, Object> row : query("DESCRIBE SELECT * FROM " + parquet(dir))) {
            types.put((String) row.get("column_name"), ((String) row.get("column_type")).replace("\"", ""));
        }
        return types;
    }
}
