package dev.rolloutbatch.export;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.RowMapper;

import dev.rolloutbatch.conversation.Usage;

import static dev.rolloutbatch.conversation.NullableColumns.instant;
import static dev.rolloutbatch.conversation.NullableColumns.nullableBoolean;
import static dev.rolloutbatch.conversation.NullableColumns.nullableDouble;
import static dev.rolloutbatch.conversation.NullableColumns.nullableInteger;
import static dev.rolloutbatch.conversation.NullableColumns.nullableLong;

/**
 * The SQL that selects the exported episodes, in partition order (run date, then episode id), each with its one
 * conversation: for a completed episode its completed conversation (the latest, should there ever be two); for a
 * failed or timed-out one the conversation of its latest attempt.
 * <p>
 * Episodes submitted without a run (over HTTP, {@code run_id IS NULL}) belong to the UTC date they were created
 * on; they are exported with the run dates unless {@code runId} is given.
 */
final class EpisodeQuery {

    private static final String PARTITION_DATE = """
            CASE WHEN e.run_id IS NULL THEN CAST((e.created_at AT TIME ZONE 'UTC') AS DATE) ELSE r.run_date END""";

    private static final String EXPORTED_STATUSES = "'completed', 'failed', 'timeout'";

    private static final String SELECT = """
            SELECT %s AS partition_date, e.run_id, e.id AS episode_id, e.problem_id, e.task_type, e.application,
                e.sample_index, e.group_id, e.status, e.success, e.reward, e.evaluation, e.error, e.max_steps,
                e.steps_taken, e.solution, %s AS failure_class,
                c.id AS conversation_id, c.policy, c.model, c.protocol, c.sampling, c.tools, c.started_at, c.ended_at,
                c.input_uncached_tokens, c.cache_read_tokens, c.cache_write_tokens, c.output_tokens,
                c.reasoning_tokens, c.usage_estimated, c.cost_usd
            FROM episode e
            LEFT JOIN run r ON r.id = e.run_id
            JOIN conversation c ON c.episode_id = e.id AND c.attempt = (
                SELECT MAX(c2.attempt) FROM conversation c2
                WHERE c2.episode_id = e.id AND (c2.status = 'completed' OR e.status <> 'completed'))
            WHERE e.status IN (%s)""";

    /** Episodes in a final state that never opened a conversation (e.g. the environment could not start). */
    private static final String WITHOUT_CONVERSATION = """
            SELECT %s AS partition_date, COUNT(*) AS episodes
            FROM episode e
            LEFT JOIN run r ON r.id = e.run_id
            WHERE e.status IN (%s) AND NOT EXISTS (SELECT 1 FROM conversation c WHERE c.episode_id = e.id)""";

    private EpisodeQuery() {
    }

    record Sql(String sql, List<Object> arguments) {
    }

    /**
     * Every exported episode of the selection, whatever the formats: each format drops what it does not take
     * (sft: completed episodes only; {@code onlySuccessful}).
     *
     * @param hasFailureClass whether the episode table has the failure_class column (exported as null if not)
     */
    static Sql forParameters(ExportParameters p, boolean hasFailureClass) {
        List<Object> arguments = new ArrayList<>();
        StringBuilder sql = new StringBuilder(SELECT.formatted(PARTITION_DATE,
                hasFailureClass ? "e.failure_class" : "CAST(NULL AS VARCHAR(100))", EXPORTED_STATUSES));
        selection(p, sql, arguments);
        if (p.formats().stream().allMatch(p::onlySuccessful)) {
            sql.append(" AND e.success = TRUE AND e.status = 'completed'");
        }
        else if (p.formats().equals(List.of(ExportFormat.SFT))) {
            sql.append(" AND e.status = 'completed'");
        }
        sql.append(" ORDER BY partition_date, e.id");
        return new Sql(sql.toString(), arguments);
    }

    /** Counts, per partition date, the selected episodes that have no conversation (and so no row). */
    static Sql withoutConversation(ExportParameters p) {
        List<Object> arguments = new ArrayList<>();
        StringBuilder sql = new StringBuilder(WITHOUT_CONVERSATION.formatted(PARTITION_DATE, EXPORTED_STATUSES));
        selection(p, sql, arguments);
        sql.append(" GROUP BY ").append(PARTITION_DATE);
        return new Sql(sql.toString(), arguments);
    }

    private static void selection(ExportParameters p, StringBuilder sql, List<Object> arguments) {
        if (p.runId() != null) {
            sql.append(" AND e.run_id = ? AND r.run_date BETWEEN ? AND ?");
            arguments.add(p.runId());
            arguments.add(p.from());
            arguments.add(p.to());
        }
        else {
            sql.append(" AND ((r.run_date BETWEEN ? AND ?) OR (e.run_id IS NULL AND e.created_at >= ? AND e.created_at < ?))");
            arguments.add(p.from());
            arguments.add(p.to());
            arguments.add(p.from().atStartOfDay().atOffset(ZoneOffset.UTC));
            arguments.add(p.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        }
    }

    /** Whether the episode table has this column (a column another version of the schema may lack). */
    static boolean hasEpisodeColumn(DataSource dataSource, String column) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            for (String table : List.of("episode", "EPISODE")) {
                for (String name : List.of(column, column.toUpperCase(Locale.ROOT))) {
                    try (ResultSet rs = meta.getColumns(connection.getCatalog(), null, table, name)) {
                        if (rs.next()) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
        catch (SQLException ex) {
            throw new IllegalStateException("cannot read the episode table's columns: " + ex.getMessage(), ex);
        }
    }

    static final RowMapper<EpisodeRow> MAPPER = EpisodeQuery::map;

    private static EpisodeRow map(ResultSet rs, int rowNum) throws SQLException {
        return new EpisodeRow(rs.getObject("partition_date", java.time.LocalDate.class), nullableLong(rs, "run_id"),
                rs.getLong("episode_id"), rs.getString("problem_id"), rs.getString("task_type"),
                rs.getString("application"), rs.getInt("sample_index"), rs.getString("group_id"),
                rs.getString("status"), nullableBoolean(rs, "success"), nullableDouble(rs, "reward"),
                rs.getString("evaluation"), rs.getString("error"), nullableInteger(rs, "max_steps"),
                nullableInteger(rs, "steps_taken"), rs.getString("solution"), rs.getString("failure_class"),
                rs.getObject("conversation_id", UUID.class), rs.getString("policy"), rs.getString("model"),
                rs.getString("protocol"), rs.getString("sampling"), rs.getString("tools"),
                instant(rs, "started_at"), instant(rs, "ended_at"),
                new Usage(rs.getLong("input_uncached_tokens"), rs.getLong("cache_read_tokens"),
                        rs.getLong("cache_write_tokens"), rs.getLong("output_tokens"), rs.getLong("reasoning_tokens"),
                        rs.getBoolean("usage_estimated")),
                rs.getBigDecimal("cost_usd"));
    }
}
