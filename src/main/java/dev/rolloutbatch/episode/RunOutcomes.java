package dev.rolloutbatch.episode;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.rolloutbatch.episode.SampleStats.Samples;

import static dev.rolloutbatch.conversation.NullableColumns.nullableDouble;

/**
 * The one aggregation of run results (read-only): episodes, completions and failures, success under both gradings,
 * mean reward with its standard deviation and 95 % interval, pass@k, steps, time, tokens and cost, per problem,
 * per task type and per run. Counts, sums, means and standard deviations are GROUP BY queries on PostgreSQL and
 * H2 alike; only the interval and pass@k, which need the database's results, are computed here
 * ({@link SampleStats}). The collect report, the {@code runs} view and the dashboard all read it.
 */
@Repository
public class RunOutcomes {

    private static final String FINISHED = statusIn(Arrays.stream(EpisodeStatus.values())
        .filter(EpisodeStatus::isFinal).toList());

    private static final String FAILED = statusIn(Arrays.stream(EpisodeStatus.values())
        .filter(s -> s.isFinal() && s != EpisodeStatus.COMPLETED).toList());

    /**
     * Tokens and cost of each episode over every attempt, summed from its {@code llm_call} rows (a row is written as
     * soon as its call ends, so the sum survives any crash); {@code %s} selects the episodes.
     */
    private static final String SPEND = """
            SELECT c.episode_id,
                SUM(l.input_uncached_tokens + l.cache_read_tokens + l.cache_write_tokens) AS input_tokens,
                SUM(l.output_tokens) AS output_tokens, SUM(l.cost_usd) AS cost, COUNT(*) AS calls,
                COUNT(l.cost_usd) AS priced
            FROM llm_call l JOIN conversation c ON c.id = l.conversation_id
            WHERE c.episode_id IN (SELECT e.id FROM episode e WHERE %s)
            GROUP BY c.episode_id""";

    /** How a query groups the episodes: the key it reports, the task type, the GROUP BY. */
    private enum Grouping {
        PROBLEM("e.problem_id", "MAX(e.task_type)", "e.problem_id"),
        TASK_TYPE("e.task_type", "e.task_type", "e.task_type"),
        RUN("'all'", "CAST(NULL AS VARCHAR(40))", "e.run_id");

        final String key;
        final String taskType;
        final String groupBy;

        Grouping(String key, String taskType, String groupBy) {
            this.key = key;
            this.taskType = taskType;
            this.groupBy = groupBy;
        }
    }

    private final JdbcTemplate jdbc;
    private final String aiopslabVerdict;

    public RunOutcomes(JdbcTemplate jdbc, DataSource dataSource) throws SQLException {
        this.jdbc = jdbc;
        try (Connection connection = dataSource.getConnection()) {
            boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
                .contains("postgres");
            // Contract 1: evaluation = {"aiopslab": {"success": bool, ...}, "reward": {...}, ...}. H2 has no JSON
            // path: the evaluation is matched as the grader writes it, "success" first in "aiopslab".
            this.aiopslabVerdict = postgres
                    ? "COALESCE(CAST(CAST(e.evaluation AS jsonb) -> 'aiopslab' ->> 'success' AS BOOLEAN), e.success)"
                    : "CASE WHEN REGEXP_LIKE(e.evaluation, '\"aiopslab\"\\s*:\\s*\\{\\s*\"success\"\\s*:\\s*true')"
                            + " THEN TRUE WHEN REGEXP_LIKE(e.evaluation, '\"aiopslab\"\\s*:') THEN FALSE"
                            + " ELSE e.success END";
        }
    }

    /**
     * AIOpsLab's verdict of the episode row aliased {@code e} as an SQL boolean expression: its evaluation's
     * {@code aiopslab.success}, or the project's {@code success} for rows from before both gradings.
     */
    public String aiopslabVerdict() {
        return aiopslabVerdict;
    }

    /** A run's outcome as a whole, by task type (alphabetical) and by problem (in the order they were planned). */
    public Report report(long runId) {
        List<Outcome> total = outcomes(Grouping.RUN, "e.run_id = ?", "e.run_id", List.of(runId));
        return new Report(total.isEmpty() ? Outcome.none("all") : total.get(0), byTaskType(runId),
                outcomes(Grouping.PROBLEM, "e.run_id = ?", "MIN(e.id)", List.of(runId)));
    }

    /** Each of these runs as a whole; a run without episodes is absent. */
    public Map<Long, Outcome> totals(Collection<Long> runIds) {
        if (runIds.isEmpty()) {
            return Map.of();
        }
        Map<Long, Outcome> totals = new HashMap<>();
        String in = "e.run_id IN (" + String.join(", ", Collections.nCopies(runIds.size(), "?")) + ")";
        Map<String, Graded> samples = samples(in, List.copyOf(runIds), p -> Long.toString(p.runId()));
        jdbc.query(select(Grouping.RUN, in) + " ORDER BY e.run_id", rs -> {
            long runId = rs.getLong("run_id");
            totals.put(runId, outcome(rs, samples.get(Long.toString(runId))));
        }, twice(List.copyOf(runIds)));
        return totals;
    }

    /** A run's outcome by task type, alphabetical. */
    public List<Outcome> byTaskType(long runId) {
        return outcomes(Grouping.TASK_TYPE, "e.run_id = ?", "e.task_type", List.of(runId));
    }

    /** A page of a run's problems (those of one task type, or all when it is null), by problem id. */
    public List<Outcome> problems(long runId, String taskType, int limit, int offset) {
        List<Object> args = new ArrayList<>(List.of(runId));
        String where = "e.run_id = ?";
        if (taskType != null) {
            where += " AND e.task_type = ?";
            args.add(taskType);
        }
        List<Object> all = new ArrayList<>(Arrays.asList(twice(args)));
        all.add(limit);
        all.add(offset);
        return jdbc.query(select(Grouping.PROBLEM, where) + " ORDER BY e.problem_id LIMIT ? OFFSET ?",
                (rs, i) -> outcome(rs, null), all.toArray());
    }

    /** These problems of a run by id; a problem the run does not have is absent. */
    public Map<String, Outcome> problems(long runId, Collection<String> problemIds) {
        if (problemIds.isEmpty()) {
            return Map.of();
        }
        List<Object> args = new ArrayList<>(List.of(runId));
        args.addAll(problemIds);
        String where = "e.run_id = ? AND e.problem_id IN ("
                + String.join(", ", Collections.nCopies(problemIds.size(), "?")) + ")";
        Map<String, Outcome> problems = new LinkedHashMap<>();
        jdbc.query(select(Grouping.PROBLEM, where) + " ORDER BY e.problem_id", rs -> {
            Outcome problem = outcome(rs, null);
            problems.put(problem.key(), problem);
        }, twice(args));
        return problems;
    }

    /** How many problems a run has (of one task type, or all when it is null). */
    public long problemCount(long runId, String taskType) {
        Long count = taskType == null
                ? jdbc.queryForObject("SELECT COUNT(DISTINCT problem_id) FROM episode WHERE run_id = ?", Long.class,
                        runId)
                : jdbc.queryForObject("SELECT COUNT(DISTINCT problem_id) FROM episode WHERE run_id = ?"
                        + " AND task_type = ?", Long.class, runId, taskType);
        return count == null ? 0 : count;
    }

    private List<Outcome> outcomes(Grouping grouping, String where, String order, List<Object> args) {
        Map<String, Graded> samples = grouping == Grouping.PROBLEM ? Map.of()
                : samples(where, args, grouping == Grouping.TASK_TYPE ? ProblemSamples::taskType
                        : p -> Long.toString(p.runId()));
        return jdbc.query(select(grouping, where) + " ORDER BY " + order, (rs, i) -> outcome(rs,
                samples.get(grouping == Grouping.TASK_TYPE ? rs.getString("task_type")
                        : Long.toString(rs.getLong("run_id")))), twice(args));
    }

    /** The WHERE's arguments twice: once for the spend's episodes, once for the episodes themselves. */
    private static Object[] twice(List<Object> args) {
        List<Object> twice = new ArrayList<>(args);
        twice.addAll(args);
        return twice.toArray();
    }

    private String select(Grouping grouping, String where) {
        return "SELECT " + String.join(", ", "MIN(e.run_id) AS run_id", grouping.key + " AS group_key",
                grouping.taskType + " AS task_type", "COUNT(DISTINCT e.problem_id) AS problems",
                "COUNT(*) AS episodes", count(statusIn(List.of(EpisodeStatus.PENDING)), "pending"),
                count(statusIn(List.of(EpisodeStatus.RUNNING)), "running"), count(FINISHED, "finished"),
                count(statusIn(List.of(EpisodeStatus.COMPLETED)), "completed"), count(FAILED, "failed"),
                count("e.success", "succeeded"), count(aiopslabVerdict, "aiopslab"),
                "AVG(CASE WHEN " + FINISHED + " THEN e.reward END) AS mean_reward",
                "STDDEV_SAMP(CASE WHEN " + FINISHED + " THEN e.reward END) AS std_reward",
                "COUNT(CASE WHEN " + FINISHED + " THEN e.reward END) AS rewards",
                "SUM(CASE WHEN " + FINISHED + " THEN COALESCE(e.steps_taken, 0) ELSE 0 END) AS steps",
                "SUM(CASE WHEN " + FINISHED + " AND e.started_at IS NOT NULL AND e.ended_at IS NOT NULL"
                        + " THEN EXTRACT(EPOCH FROM e.ended_at) - EXTRACT(EPOCH FROM e.started_at) ELSE 0 END)"
                        + " AS seconds",
                "COALESCE(SUM(s.input_tokens), 0) AS input_tokens",
                "COALESCE(SUM(s.output_tokens), 0) AS output_tokens", "SUM(s.cost) AS cost",
                "COALESCE(SUM(s.calls), 0) AS calls", "COALESCE(SUM(s.priced), 0) AS priced")
                + " FROM episode e LEFT JOIN (" + SPEND.formatted(where) + ") s ON s.episode_id = e.id"
                + " WHERE " + where + " GROUP BY " + grouping.groupBy;
    }

    private static String count(String condition, String alias) {
        return "SUM(CASE WHEN " + condition + " THEN 1 ELSE 0 END) AS " + alias;
    }

    private static String statusIn(List<EpisodeStatus> statuses) {
        return statuses.stream().map(s -> "'" + s.id() + "'").collect(Collectors.joining(", ", "e.status IN (", ")"));
    }

    /** One problem's finished samples and successes under each grading. */
    private record ProblemSamples(long runId, String taskType, long finished, long succeeded, long aiopslab) {
    }

    /** The samples of a group's problems under the project's grading and under AIOpsLab's. */
    private record Graded(List<Samples> project, List<Samples> aiopslab) {
    }

    /** The samples of each problem of the selected episodes, gathered by {@code groupOf}. */
    private Map<String, Graded> samples(String where, List<Object> args,
            Function<ProblemSamples, String> groupOf) {
        Map<String, Graded> groups = new LinkedHashMap<>();
        jdbc.query("SELECT " + String.join(", ", "e.run_id", "MAX(e.task_type) AS task_type",
                count(FINISHED, "finished"), count("e.success", "succeeded"), count(aiopslabVerdict, "aiopslab"))
                + " FROM episode e WHERE " + where + " GROUP BY e.run_id, e.problem_id", rs -> {
                    ProblemSamples p = new ProblemSamples(rs.getLong("run_id"), rs.getString("task_type"),
                            rs.getLong("finished"), rs.getLong("succeeded"), rs.getLong("aiopslab"));
                    Graded group = groups.computeIfAbsent(groupOf.apply(p),
                            k -> new Graded(new ArrayList<>(), new ArrayList<>()));
                    group.project().add(new Samples(p.finished(), p.succeeded()));
                    group.aiopslab().add(new Samples(p.finished(), p.aiopslab()));
                }, args.toArray());
        return groups;
    }

    /** The row of a group; {@code samples} its problems' samples, or null for a problem (the row itself). */
    private static Outcome outcome(ResultSet rs, Graded samples) throws SQLException {
        long finished = rs.getLong("finished");
        long succeeded = rs.getLong("succeeded");
        long aiopslab = rs.getLong("aiopslab");
        Double mean = nullableDouble(rs, "mean_reward");
        Double std = nullableDouble(rs, "std_reward");
        SampleStats.Interval ci = SampleStats.meanInterval(mean, std, rs.getLong("rewards"));
        List<Samples> project = samples == null ? List.of(new Samples(finished, succeeded)) : samples.project();
        List<Samples> aiopslabs = samples == null ? List.of(new Samples(finished, aiopslab)) : samples.aiopslab();
        BigDecimal cost = rs.getBigDecimal("cost");
        return new Outcome(rs.getString("group_key"), rs.getString("task_type"), rs.getLong("problems"),
                rs.getLong("episodes"), rs.getLong("pending"), rs.getLong("running"), finished,
                rs.getLong("completed"), rs.getLong("failed"), succeeded, aiopslab, per(succeeded, finished),
                per(aiopslab, finished), mean, std, ci.low(), ci.high(), SampleStats.meanPassAtK(project),
                SampleStats.meanPassAtK(aiopslabs), per(rs.getDouble("steps"), finished),
                per(rs.getDouble("seconds"), finished), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("calls") == rs.getLong("priced") ? (cost == null ? BigDecimal.ZERO : cost) : null);
    }

    private static Double per(double sum, long finished) {
        return finished == 0 ? null : sum / finished;
    }

    /** A run's outcome as a whole, by task type and by problem. */
    public record Report(Outcome total, List<Outcome> byTaskType, List<Outcome> byProblem) {
    }
}
