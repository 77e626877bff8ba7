package dev.rolloutbatch.runs;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads runs for the {@code runs} view. Only SELECTs: the collect package owns the run rows, the episode and
 * conversation packages theirs, Spring Batch its job repository.
 */
@Repository
class RunQueries {

    private static final String RUNS = """
            SELECT r.id, r.run_date, r.problems_source, r.status, r.policy, r.environment, r.model, r.started_at,
                r.ended_at, r.job_execution_id, j.status AS batch_status, j.exit_code, j.exit_message
            FROM run r LEFT JOIN batch_job_execution j ON j.job_execution_id = r.job_execution_id
            """;

    private static final String EPISODE_COUNTS = """
            SELECT run_id, COUNT(*) AS episodes,
                SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed,
                SUM(CASE WHEN status IN ('failed', 'timeout', 'cancelled') THEN 1 ELSE 0 END) AS failed,
                SUM(CASE WHEN status = 'running' THEN 1 ELSE 0 END) AS running,
                SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
                SUM(CASE WHEN success THEN 1 ELSE 0 END) AS succeeded
            FROM episode WHERE run_id IN (:ids) GROUP BY run_id""";

    /** Every conversation counts, aborted attempts included: they were paid for. */
    private static final String SPEND = """
            SELECT e.run_id,
                SUM(c.input_uncached_tokens + c.cache_read_tokens + c.cache_write_tokens) AS input_tokens,
                SUM(c.output_tokens) AS output_tokens, SUM(c.cost_usd) AS cost, COUNT(*) AS conversations,
                COUNT(c.cost_usd) AS priced
            FROM conversation c JOIN episode e ON e.id = c.episode_id
            WHERE e.run_id IN (:ids) GROUP BY e.run_id""";

    private static final String STEP_EXIT = """
            SELECT exit_code, exit_message FROM batch_step_execution
            WHERE job_execution_id = ? AND exit_code NOT IN ('COMPLETED', 'EXECUTING', 'NOOP')
            ORDER BY step_execution_id DESC""";

    private static final String EPISODES = """
            SELECT e.problem_id, e.task_type, e.status, e.success, e.error, %s AS failure_class,
                s.input_tokens, s.output_tokens, s.cost, s.conversations, s.priced
            FROM episode e LEFT JOIN (
                SELECT c.episode_id,
                    SUM(c.input_uncached_tokens + c.cache_read_tokens + c.cache_write_tokens) AS input_tokens,
                    SUM(c.output_tokens) AS output_tokens, SUM(c.cost_usd) AS cost, COUNT(*) AS conversations,
                    COUNT(c.cost_usd) AS priced
                FROM conversation c GROUP BY c.episode_id) s ON s.episode_id = e.id
            WHERE e.run_id = ? ORDER BY e.id""";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    RunQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    /** The most recent runs, newest first. */
    List<RunSummary> recent(int limit) {
        return summaries(jdbc.query(RUNS + " ORDER BY r.id DESC LIMIT ?", RunQueries::runRow, limit));
    }

    Optional<RunDetail> find(long runId) {
        List<RunSummary> found = summaries(jdbc.query(RUNS + " WHERE r.id = ?", RunQueries::runRow, runId));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        List<EpisodeRow> episodes = jdbc.query(EPISODES.formatted(hasFailureClass() ? "e.failure_class" : "NULL"),
                RunQueries::episodeRow, runId);
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> reasons = new HashMap<>();
        for (EpisodeRow episode : episodes) {
            byStatus.merge(episode.status(), 1, Integer::sum);
            String reason = episode.failureReason();
            if (reason != null) {
                reasons.merge(reason, 1, Integer::sum);
            }
        }
        List<RunDetail.FailureReason> failureReasons = reasons.entrySet().stream()
            .map(e -> new RunDetail.FailureReason(e.getKey(), e.getValue()))
            .sorted((a, b) -> a.episodes() != b.episodes() ? Integer.compare(b.episodes(), a.episodes())
                    : a.reason().compareTo(b.reason()))
            .toList();
        return Optional.of(new RunDetail(found.get(0), byStatus, lines(episodes, EpisodeRow::taskType, true),
                lines(episodes, EpisodeRow::problemId, false), failureReasons));
    }

    private List<RunSummary> summaries(List<RunRow> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        Map<String, Object> ids = Map.of("ids", runs.stream().map(RunRow::id).toList());
        Map<Long, Counts> counts = new HashMap<>();
        named.query(EPISODE_COUNTS, ids, rs -> {
            counts.put(rs.getLong("run_id"), new Counts(rs.getInt("episodes"), rs.getInt("completed"),
                    rs.getInt("failed"), rs.getInt("running"), rs.getInt("pending"), rs.getInt("succeeded")));
        });
        Map<Long, Spend> spend = new HashMap<>();
        named.query(SPEND, ids, rs -> {
            spend.put(rs.getLong("run_id"), spend(rs));
        });
        List<RunSummary> summaries = new ArrayList<>();
        for (RunRow run : runs) {
            Counts c = counts.getOrDefault(run.id(), Counts.NONE);
            Spend s = spend.getOrDefault(run.id(), Spend.NONE);
            int finished = c.completed() + c.failed();
            summaries.add(new RunSummary(run.id(), run.night(), run.problems(), status(run), run.exitCode(),
                    exitReason(run), run.policy(), run.model(), run.environment(), run.startedAt(), run.endedAt(),
                    c.episodes(), finished, c.completed(), c.failed(), c.running(), c.pending(), c.succeeded(),
                    rate(c.succeeded(), finished), s.inputTokens(), s.outputTokens(), s.cost()));
        }
        return summaries;
    }

    /**
     * The run row says completed or budget_exhausted once its report step ran; until then it says running, and
     * the job execution tells whether it is still going or failed on the way.
     */
    static String status(RunRow run) {
        if (run.batchStatus() == null) {
            return run.status();
        }
        return switch (run.batchStatus()) {
            case "COMPLETED" -> run.status();
            case "STARTING", "STARTED", "STOPPING" -> "running";
            case "FAILED" -> "budget_exhausted".equals(run.status()) ? run.status() : "failed";
            default -> run.batchStatus().toLowerCase(Locale.ROOT);
        };
    }

    private String exitReason(RunRow run) {
        String reason = firstLine(run.exitMessage());
        if (reason != null || "COMPLETED".equals(run.exitCode()) || run.jobExecutionId() == null) {
            return reason;
        }
        // A flow that ends FAILED on a step's exit status keeps the why on that step.
        for (Map<String, Object> step : jdbc.queryForList(STEP_EXIT, run.jobExecutionId())) {
            String message = firstLine((String) step.get("exit_message"));
            if (message != null) {
                return step.get("exit_code") + ": " + message;
            }
        }
        return null;
    }

    private boolean hasFailureClass() {
        return Boolean.TRUE.equals(jdbc.query("SELECT * FROM episode WHERE 1 = 0", rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if ("failure_class".equalsIgnoreCase(meta.getColumnName(i))) {
                    return true;
                }
            }
            return false;
        }));
    }

    private static List<RunDetail.Line> lines(List<EpisodeRow> episodes, Function<EpisodeRow, String> key,
            boolean sorted) {
        Map<String, List<EpisodeRow>> groups = sorted ? new TreeMap<>() : new LinkedHashMap<>();
        for (EpisodeRow episode : episodes) {
            groups.computeIfAbsent(key.apply(episode), k -> new ArrayList<>()).add(episode);
        }
        return groups.entrySet().stream().map(e -> line(e.getKey(), e.getValue())).toList();
    }

    private static RunDetail.Line line(String key, Collection<EpisodeRow> episodes) {
        int finished = 0;
        int succeeded = 0;
        int failed = 0;
        long in = 0;
        long out = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (EpisodeRow e : episodes) {
            if (e.status().equals("completed")) {
                finished++;
            }
            else if (e.isFailed()) {
                finished++;
                failed++;
            }
            if (e.success()) {
                succeeded++;
            }
            in += e.spend().inputTokens();
            out += e.spend().outputTokens();
            cost = cost == null || e.spend().cost() == null ? null : cost.add(e.spend().cost());
        }
        return new RunDetail.Line(key, episodes.size(), finished, succeeded, failed, rate(succeeded, finished), in, out,
                cost);
    }

    private static double rate(int succeeded, int finished) {
        return finished == 0 ? 0 : (double) succeeded / finished;
    }

    static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String line = text.strip().lines().findFirst().orElse("").strip();
        return line.length() <= 300 ? line : line.substring(0, 297) + "...";
    }

    private static RunRow runRow(ResultSet rs, int i) throws SQLException {
        return new RunRow(rs.getLong("id"), rs.getObject("run_date", LocalDate.class), rs.getString("problems_source"),
                rs.getString("status"), rs.getString("policy"), rs.getString("environment"), rs.getString("model"),
                instant(rs, "started_at"), instant(rs, "ended_at"), rs.getObject("job_execution_id", Long.class),
                rs.getString("batch_status"), rs.getString("exit_code"), rs.getString("exit_message"));
    }

    private static EpisodeRow episodeRow(ResultSet rs, int i) throws SQLException {
        return new EpisodeRow(rs.getString("problem_id"), rs.getString("task_type"), rs.getString("status"),
                rs.getBoolean("success"), rs.getString("error"), rs.getString("failure_class"), spend(rs));
    }

    /** Tokens and cost of conversation rows; the cost is unknown when one of them had no price. */
    private static Spend spend(ResultSet rs) throws SQLException {
        long conversations = rs.getLong("conversations");
        BigDecimal cost = rs.getBigDecimal("cost");
        return new Spend(rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                conversations == rs.getLong("priced") ? (cost == null ? BigDecimal.ZERO : cost) : null);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    record RunRow(long id, LocalDate night, String problems, String status, String policy, String environment,
            String model, Instant startedAt, Instant endedAt, Long jobExecutionId, String batchStatus,
            String exitCode, String exitMessage) {
    }

    private record Counts(int episodes, int completed, int failed, int running, int pending, int succeeded) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);
    }

    private record Spend(long inputTokens, long outputTokens, BigDecimal cost) {
        static final Spend NONE = new Spend(0, 0, BigDecimal.ZERO);
    }

    private record EpisodeRow(String problemId, String taskType, String status, boolean success, String error,
            String failureClass, Spend spend) {

        boolean isFailed() {
            return status.equals("failed") || status.equals("timeout") || status.equals("cancelled");
        }

        /** Why an episode did not succeed: its failure class, else its error, else its status. */
        String failureReason() {
            boolean unsuccessful = isFailed() || (status.equals("completed") && !success);
            if (!unsuccessful) {
                return null;
            }
            if (failureClass != null) {
                return failureClass;
            }
            String firstLine = firstLine(error);
            if (firstLine != null) {
                return firstLine;
            }
            return status.equals("completed") ? "completed without success" : status;
        }
    }
}
