package dev.rolloutbatch.dashboard;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.rolloutbatch.dashboard.DashboardViews.Bin;
import dev.rolloutbatch.dashboard.DashboardViews.CallRow;
import dev.rolloutbatch.dashboard.DashboardViews.CompareRow;
import dev.rolloutbatch.dashboard.DashboardViews.CompareSide;
import dev.rolloutbatch.dashboard.DashboardViews.ConversationDetail;
import dev.rolloutbatch.dashboard.DashboardViews.Count;
import dev.rolloutbatch.dashboard.DashboardViews.EpisodeDetail;
import dev.rolloutbatch.dashboard.DashboardViews.EpisodeRow;
import dev.rolloutbatch.dashboard.DashboardViews.Latency;
import dev.rolloutbatch.dashboard.DashboardViews.LatencyBucket;
import dev.rolloutbatch.dashboard.DashboardViews.MessageRow;
import dev.rolloutbatch.dashboard.DashboardViews.ModelSpend;
import dev.rolloutbatch.dashboard.DashboardViews.Page;
import dev.rolloutbatch.dashboard.DashboardViews.RunRow;
import dev.rolloutbatch.episode.Outcome;
import dev.rolloutbatch.episode.RunOutcomes;

import static dev.rolloutbatch.conversation.NullableColumns.instant;
import static dev.rolloutbatch.conversation.NullableColumns.money;
import static dev.rolloutbatch.conversation.NullableColumns.nullableBoolean;
import static dev.rolloutbatch.conversation.NullableColumns.nullableDouble;
import static dev.rolloutbatch.conversation.NullableColumns.nullableInteger;

/**
 * Reads (never writes) run, episode, conversation, message and llm_call for the dashboard. Counts, sums, means,
 * standard deviations, percentiles and histograms are computed by the database; only the formulas that need the
 * database's results (confidence intervals, pass@k) run here. Every value from a request is a bound parameter.
 */
@Repository
@Profile("serve")
class DashboardRepository {

    static final int HISTOGRAM_BINS = 10;
    static final int LATENCY_BUCKETS = 30;
    static final int TOP = 10;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String FINISHED = "e.status IN ('completed', 'failed', 'timeout', 'cancelled')";

    private final JdbcTemplate jdbc;
    private final RunOutcomes outcomes;
    /** AIOpsLab's verdict of an episode, falling back to the project's for rows from before both gradings. */
    private final String aiopslabSuccess;
    /** {@code episode.failure_class} when this database has it (it arrives with a later migration). */
    private final String failureClass;

    DashboardRepository(JdbcTemplate jdbc, DataSource dataSource, RunOutcomes outcomes) throws SQLException {
        this.jdbc = jdbc;
        this.outcomes = outcomes;
        this.aiopslabSuccess = outcomes.aiopslabVerdict();
        try (Connection connection = dataSource.getConnection()) {
            this.failureClass = hasColumn(connection, "episode", "failure_class") ? "e.failure_class" : null;
        }
    }

    private static boolean hasColumn(Connection connection, String table, String column) throws SQLException {
        for (String t : new String[] { table, table.toUpperCase(Locale.ROOT) }) {
            for (String c : new String[] { column, column.toUpperCase(Locale.ROOT) }) {
                try (ResultSet rs = connection.getMetaData().getColumns(null, null, t, c)) {
                    if (rs.next()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    boolean recordsFailureClasses() {
        return failureClass != null;
    }

    // ---- runs -------------------------------------------------------------------------------------------------

    Page<RunRow> runs(RunFilter filter, int limit, int offset) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.from() != null) {
            where.append(" AND r.run_date >= ?");
            args.add(filter.from());
        }
        if (filter.to() != null) {
            where.append(" AND r.run_date <= ?");
            args.add(filter.to());
        }
        if (filter.model() != null) {
            where.append(" AND LOWER(r.model) LIKE ?");
            args.add("%" + filter.model().toLowerCase(Locale.ROOT) + "%");
        }
        if (filter.status() != null) {
            where.append(" AND r.status = ?");
            args.add(filter.status());
        }
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM run r" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(limit);
        pageArgs.add(offset);
        List<Long> ids = jdbc.queryForList("SELECT r.id FROM run r" + where
                + " ORDER BY r.started_at DESC, r.id DESC LIMIT ? OFFSET ?", Long.class, pageArgs.toArray());
        return new Page<>(runRows(ids), total == null ? 0 : total, limit, offset);
    }

    Optional<RunRow> run(long id) {
        return runRows(List.of(id)).stream().findFirst();
    }

    /** Whether the run exists, without aggregating its episodes and calls as {@link #run} does. */
    boolean runExists(long id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM run WHERE id = ?", Long.class, id) > 0;
    }

    List<String> models() {
        return jdbc.queryForList("SELECT DISTINCT model FROM run ORDER BY model", String.class);
    }

    /** The runs of {@code ids}, in that order, with their episode counts and spend aggregated per run. */
    private List<RunRow> runRows(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
        Map<Long, Outcome> totals = outcomes.totals(ids);
        Map<Long, RunRow> rows = new LinkedHashMap<>();
        jdbc.query("SELECT * FROM run WHERE id IN (" + in + ")", rs -> {
            long id = rs.getLong("id");
            Outcome n = totals.getOrDefault(id, Outcome.none("all"));
            Instant started = instant(rs, "started_at");
            Instant ended = instant(rs, "ended_at");
            long episodes = Math.max(n.episodes(), rs.getLong("episodes_planned"));
            rows.put(id, new RunRow(id, rs.getObject("run_date", LocalDate.class), rs.getString("status"),
                    rs.getString("model"), rs.getString("policy"), rs.getString("environment"),
                    rs.getString("problems_source"), started, ended,
                    seconds(started, ended == null ? Instant.now() : ended), episodes, n.pending(), n.running(),
                    n.finished(), n.succeeded(), n.aiopslabSucceeded(), n.failed(), n.successRate(),
                    n.aiopslabSuccessRate(), episodes == 0 ? 0 : (double) n.finished() / episodes,
                    n.inputTokens(), n.outputTokens(), money(n.costUsd())));
        }, ids.toArray());
        return ids.stream().map(rows::get).filter(r -> r != null).toList();
    }

    // ---- figures of one run --------------------------------------------------------------------------------------

    List<Outcome> byTaskType(long runId) {
        return outcomes.byTaskType(runId);
    }

    Page<Outcome> byProblem(long runId, String taskType, int limit, int offset) {
        return new Page<>(outcomes.problems(runId, taskType, limit, offset), outcomes.problemCount(runId, taskType),
                limit, offset);
    }

    List<Bin> rewardHistogram(long runId) {
        return rewardHistogram(runId, null, null);
    }

    /** Finished episodes' rewards in ten equal bins between their least and greatest; null filters mean any. */
    List<Bin> rewardHistogram(long runId, String taskType, String problemId) {
        StringBuilder where = new StringBuilder(" FROM episode e WHERE e.run_id = ? AND " + FINISHED
                + " AND e.reward IS NOT NULL");
        List<Object> args = new ArrayList<>(List.of(runId));
        if (taskType != null) {
            where.append(" AND e.task_type = ?");
            args.add(taskType);
        }
        if (problemId != null) {
            where.append(" AND e.problem_id = ?");
            args.add(problemId);
        }
        Map<String, Object> range = jdbc.queryForMap("SELECT MIN(e.reward) AS lo, MAX(e.reward) AS hi,"
                + " COUNT(*) AS n" + where, args.toArray());
        if (range.get("lo") == null) {
            return List.of();
        }
        double lo = ((Number) range.get("lo")).doubleValue();
        double hi = ((Number) range.get("hi")).doubleValue();
        if (hi == lo) {
            return List.of(new Bin(lo, hi, ((Number) range.get("n")).longValue()));
        }
        double width = (hi - lo) / HISTOGRAM_BINS;
        long[] counts = new long[HISTOGRAM_BINS];
        List<Object> binArgs = new ArrayList<>(List.of(lo, width, HISTOGRAM_BINS - 1));
        binArgs.addAll(args);
        jdbc.query("SELECT LEAST(CAST(FLOOR((e.reward - ?) / ?) AS INTEGER), ?) AS bin, COUNT(*) AS n" + where
                + " GROUP BY 1", rs -> {
                    counts[rs.getInt("bin")] = rs.getLong("n");
                }, binArgs.toArray());
        List<Bin> bins = new ArrayList<>();
        for (int i = 0; i < HISTOGRAM_BINS; i++) {
            bins.add(new Bin(lo + i * width, i == HISTOGRAM_BINS - 1 ? hi : lo + (i + 1) * width, counts[i]));
        }
        return bins;
    }

    /** Unsuccessful finished episodes by failure class (or, before failure classes, by status). */
    List<Count> failureClasses(long runId) {
        String key = failureClass != null
                ? "COALESCE(" + failureClass + ", 'unclassified')"
                : "CASE WHEN e.status = 'completed' THEN 'unsuccessful' ELSE e.status END";
        return jdbc.query("SELECT " + key + " AS k, COUNT(*) AS n FROM episode e WHERE e.run_id = ? AND " + FINISHED
                + " AND (e.success IS NULL OR NOT e.success) GROUP BY 1 ORDER BY 2 DESC, 1",
                (rs, i) -> new Count(rs.getString("k"), rs.getLong("n")), runId);
    }

    List<ModelSpend> byModel(long runId) {
        return jdbc.query("""
                SELECT c.model, COUNT(DISTINCT c.id) AS conversations, COUNT(l.seq) AS calls,
                    COALESCE(SUM(l.input_uncached_tokens + l.cache_read_tokens + l.cache_write_tokens), 0) AS input,
                    COALESCE(SUM(l.cache_read_tokens), 0) AS cache_read, COALESCE(SUM(l.output_tokens), 0) AS output,
                    COALESCE(SUM(l.reasoning_tokens), 0) AS reasoning, COALESCE(SUM(l.cost_usd), 0) AS cost,
                    COUNT(l.seq) - COUNT(l.cost_usd) AS unpriced
                FROM conversation c JOIN episode e ON e.id = c.episode_id
                    LEFT JOIN llm_call l ON l.conversation_id = c.id
                WHERE e.run_id = ? GROUP BY c.model ORDER BY c.model""",
                (rs, i) -> new ModelSpend(rs.getString("model"), rs.getLong("conversations"), rs.getLong("calls"),
                        rs.getLong("input"), rs.getLong("cache_read"), rs.getLong("output"), rs.getLong("reasoning"),
                        money(rs.getBigDecimal("cost")), rs.getLong("unpriced")), runId);
    }

    private static final String RUN_CALLS = " FROM llm_call l JOIN conversation c ON c.id = l.conversation_id"
            + " JOIN episode e ON e.id = c.episode_id WHERE e.run_id = ?";

    private static final String PERCENTILES = "COUNT(*) AS calls,"
            + " PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY l.latency_ms) AS p50,"
            + " PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY l.latency_ms) AS p90,"
            + " PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY l.latency_ms) AS p99";

    Latency latency(long runId) {
        Map<String, Object> all = jdbc.queryForMap("SELECT " + PERCENTILES + ", MAX(l.latency_ms) AS mx,"
                + " MIN(l.started_at) AS first_call, MAX(l.started_at) AS last_call" + RUN_CALLS, runId);
        long calls = ((Number) all.get("calls")).longValue();
        if (calls == 0) {
            return new Latency(0, null, null, null, null, List.of());
        }
        Instant first = toInstant(all.get("first_call"));
        Instant last = toInstant(all.get("last_call"));
        long widthMs = Math.max(1000, (Duration.between(first, last).toMillis() + LATENCY_BUCKETS) / LATENCY_BUCKETS);
        List<LatencyBucket> overTime = jdbc.query("SELECT CAST(FLOOR((EXTRACT(EPOCH FROM l.started_at) * 1000 - ?)"
                + " / ?) AS INTEGER) AS bucket, " + PERCENTILES + RUN_CALLS + " GROUP BY 1 ORDER BY 1",
                (rs, i) -> new LatencyBucket(first.plusMillis(rs.getLong("bucket") * widthMs), rs.getLong("calls"),
                        nullableDouble(rs, "p50"), nullableDouble(rs, "p90"), nullableDouble(rs, "p99")),
                first.toEpochMilli(), widthMs, runId);
        return new Latency(calls, number(all.get("p50")), number(all.get("p90")), number(all.get("p99")),
                ((Number) all.get("mx")).longValue(), overTime);
    }

    // ---- episodes ----------------------------------------------------------------------------------------------

    private String episodeSelect() {
        return "SELECT e.id, e.run_id, e.problem_id, e.task_type, e.sample_index, e.status, e.success, "
                + aiopslabSuccess + " AS aiopslab, e.reward, e.steps_taken, e.started_at, e.ended_at, "
                + (failureClass == null ? "CAST(NULL AS VARCHAR(100))" : failureClass) + " AS failure_class,"
                + " (SELECT COALESCE(SUM(c.input_uncached_tokens + c.cache_read_tokens + c.cache_write_tokens), 0)"
                + " FROM conversation c WHERE c.episode_id = e.id) AS input_tokens,"
                + " (SELECT COALESCE(SUM(c.output_tokens), 0) FROM conversation c WHERE c.episode_id = e.id)"
                + " AS output_tokens,"
                + " (SELECT CASE WHEN COUNT(*) = COUNT(c.cost_usd) THEN COALESCE(SUM(c.cost_usd), 0) END"
                + " FROM conversation c WHERE c.episode_id = e.id) AS cost,"
                + " e.application, e.model, e.policy, e.environment, e.max_steps, e.error, e.evaluation, e.solution"
                + " FROM episode e";
    }

    Page<EpisodeRow> episodes(long runId, String problemId, int limit, int offset) {
        String where = " WHERE e.run_id = ?" + (problemId == null ? "" : " AND e.problem_id = ?");
        List<Object> args = new ArrayList<>(List.of(runId));
        if (problemId != null) {
            args.add(problemId);
        }
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM episode e" + where, Long.class, args.toArray());
        args.add(limit);
        args.add(offset);
        List<EpisodeRow> items = jdbc.query(episodeSelect() + where
                + " ORDER BY e.problem_id, e.sample_index LIMIT ? OFFSET ?", DashboardRepository::episodeRow,
                args.toArray());
        return new Page<>(items, total == null ? 0 : total, limit, offset);
    }

    List<EpisodeRow> slowest(long runId) {
        return episodeRows(jdbc.queryForList("""
                SELECT e.id FROM episode e WHERE e.run_id = ? AND e.ended_at IS NOT NULL AND e.started_at IS NOT NULL
                ORDER BY e.ended_at - e.started_at DESC, e.id LIMIT ?""", Long.class, runId, TOP));
    }

    /** The dearest episodes: ranked on the conversation totals first, so only those few get the full row. */
    List<EpisodeRow> mostExpensive(long runId) {
        return episodeRows(jdbc.queryForList("""
                SELECT c.episode_id FROM conversation c JOIN episode e ON e.id = c.episode_id WHERE e.run_id = ?
                GROUP BY c.episode_id
                ORDER BY SUM(c.cost_usd) DESC NULLS LAST,
                    SUM(c.input_uncached_tokens + c.cache_read_tokens + c.cache_write_tokens + c.output_tokens) DESC,
                    c.episode_id
                LIMIT ?""", Long.class, runId, TOP));
    }

    /** The full rows of a few episodes, in the order of {@code ids}. */
    private List<EpisodeRow> episodeRows(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, EpisodeRow> rows = new HashMap<>();
        jdbc.query(episodeSelect() + " WHERE e.id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?"))
                + ")", rs -> {
                    EpisodeRow row = episodeRow(rs, 0);
                    rows.put(row.id(), row);
                }, ids.toArray());
        return ids.stream().map(rows::get).toList();
    }

    Optional<EpisodeDetail> episode(long id) {
        return jdbc.query(episodeSelect() + " WHERE e.id = ?", (rs, i) -> new EpisodeDetail(episodeRow(rs, i),
                rs.getString("application"), rs.getString("model"), rs.getString("policy"),
                rs.getString("environment"), rs.getInt("max_steps"), instant(rs, "started_at"),
                instant(rs, "ended_at"), rs.getString("error"), json(rs.getString("evaluation")),
                rs.getString("solution"), conversations(id)), id).stream().findFirst();
    }

    private List<ConversationDetail> conversations(long episodeId) {
        return jdbc.query("""
                SELECT id, attempt, status, model, protocol, sampling, started_at, ended_at FROM conversation
                WHERE episode_id = ? ORDER BY attempt""", (rs, i) -> {
            String id = rs.getString("id");
            return new ConversationDetail(id, rs.getInt("attempt"), rs.getString("status"), rs.getString("model"),
                    rs.getString("protocol"), json(rs.getString("sampling")), instant(rs, "started_at"),
                    instant(rs, "ended_at"), messages(id), calls(id));
        }, episodeId);
    }

    private List<MessageRow> messages(String conversationId) {
        return jdbc.query("""
                SELECT seq, role, content, name, tool_calls, tool_call_id, step, created_at FROM message
                WHERE conversation_id = CAST(? AS UUID) ORDER BY seq""",
                (rs, i) -> new MessageRow(rs.getInt("seq"), rs.getString("role"), rs.getString("content"),
                        rs.getString("name"), json(rs.getString("tool_calls")), rs.getString("tool_call_id"),
                        rs.getInt("step"), instant(rs, "created_at")), conversationId);
    }

    private List<CallRow> calls(String conversationId) {
        return jdbc.query("""
                SELECT seq, step, model_requested, model_reported, started_at, latency_ms, finish_reason, attempts,
                    input_uncached_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
                    usage_estimated, cost_usd, logprobs, error
                FROM llm_call WHERE conversation_id = CAST(? AS UUID) ORDER BY seq""",
                (rs, i) -> new CallRow(rs.getInt("seq"), rs.getInt("step"), rs.getString("model_requested"),
                        rs.getString("model_reported"), instant(rs, "started_at"), rs.getLong("latency_ms"),
                        rs.getString("finish_reason"), rs.getInt("attempts"), rs.getLong("input_uncached_tokens"),
                        rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens"), rs.getLong("output_tokens"),
                        rs.getLong("reasoning_tokens"), rs.getBoolean("usage_estimated"),
                        money(rs.getBigDecimal("cost_usd")), json(rs.getString("logprobs")), rs.getString("error")),
                conversationId);
    }

    private static EpisodeRow episodeRow(ResultSet rs, int row) throws SQLException {
        return new EpisodeRow(rs.getLong("id"), rs.getLong("run_id"), rs.getString("problem_id"),
                rs.getString("task_type"), rs.getInt("sample_index"), rs.getString("status"),
                nullableBoolean(rs, "success"), nullableBoolean(rs, "aiopslab"), nullableDouble(rs, "reward"),
                nullableInteger(rs, "steps_taken"), seconds(instant(rs, "started_at"), instant(rs, "ended_at")),
                rs.getLong("input_tokens"), rs.getLong("output_tokens"), money(rs.getBigDecimal("cost")),
                rs.getString("failure_class"));
    }

    // ---- two runs side by side ------------------------------------------------------------------------------------

    /** A page of the problems of either run, by id, each with its figures in both runs. */
    Page<CompareRow> compare(long a, long b, int limit, int offset) {
        Long total = jdbc.queryForObject("SELECT COUNT(DISTINCT e.problem_id) FROM episode e WHERE e.run_id IN (?, ?)",
                Long.class, a, b);
        List<String> problems = jdbc.queryForList("SELECT DISTINCT e.problem_id FROM episode e"
                + " WHERE e.run_id IN (?, ?) ORDER BY e.problem_id LIMIT ? OFFSET ?", String.class, a, b, limit, offset);
        Map<String, Outcome> left = outcomes.problems(a, problems);
        Map<String, Outcome> right = outcomes.problems(b, problems);
        List<CompareRow> items = problems.stream().map(problem -> {
            Outcome l = left.getOrDefault(problem, Outcome.none(problem));
            Outcome r = right.getOrDefault(problem, Outcome.none(problem));
            Double delta = l.successRate() == null || r.successRate() == null ? null
                    : r.successRate() - l.successRate();
            return new CompareRow(problem, l.taskType() != null ? l.taskType() : r.taskType(), side(l), side(r),
                    delta);
        }).toList();
        return new Page<>(items, total == null ? 0 : total, limit, offset);
    }

    private static CompareSide side(Outcome o) {
        return new CompareSide(o.episodes(), o.finished(), o.succeeded(), o.aiopslabSucceeded(), o.successRate(),
                o.aiopslabSuccessRate(), o.meanReward());
    }

    // ---- values ------------------------------------------------------------------------------------------------

    private static Double seconds(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1000.0;
    }

    private static Instant toInstant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        throw new IllegalStateException("not a timestamp: " + value);
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        }
        catch (RuntimeException ex) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    /** Filters of the runs list; null means any. */
    record RunFilter(LocalDate from, LocalDate to, String model, String status) {
    }
}
