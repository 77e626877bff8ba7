package dev.rolloutbatch.runs;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.rolloutbatch.episode.Outcome;
import dev.rolloutbatch.episode.RunOutcomes;

import static dev.rolloutbatch.conversation.NullableColumns.instant;

/**
 * Reads runs for the {@code runs} view. Only SELECTs: the collect package owns the run rows, the episode and
 * conversation packages theirs, Spring Batch its job repository. Counts, success and spend come from the episode
 * package's {@link RunOutcomes}, as in the collect report and the dashboard.
 */
@Repository
class RunQueries {

    private static final String RUNS = """
            SELECT r.id, r.run_date, r.problems_source, r.status, r.policy, r.environment, r.model, r.started_at,
                r.ended_at, r.job_execution_id, j.status AS batch_status, j.exit_code, j.exit_message
            FROM run r LEFT JOIN batch_job_execution j ON j.job_execution_id = r.job_execution_id
            """;

    private static final String STEP_EXIT = """
            SELECT exit_code, exit_message FROM batch_step_execution
            WHERE job_execution_id = ? AND exit_code NOT IN ('COMPLETED', 'EXECUTING', 'NOOP')
            ORDER BY step_execution_id DESC""";

    private static final String EPISODES = """
            SELECT e.status, e.success, e.error, %s AS failure_class FROM episode e WHERE e.run_id = ? ORDER BY e.id""";

    private final JdbcTemplate jdbc;
    private final RunOutcomes outcomes;

    RunQueries(JdbcTemplate jdbc, RunOutcomes outcomes) {
        this.jdbc = jdbc;
        this.outcomes = outcomes;
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
        RunOutcomes.Report report = outcomes.report(runId);
        return Optional.of(new RunDetail(found.get(0), byStatus, report.byTaskType(), report.byProblem(),
                failureReasons));
    }

    private List<RunSummary> summaries(List<RunRow> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        Map<Long, Outcome> totals = outcomes.totals(runs.stream().map(RunRow::id).toList());
        List<RunSummary> summaries = new ArrayList<>();
        for (RunRow run : runs) {
            Outcome t = totals.getOrDefault(run.id(), Outcome.none("all"));
            summaries.add(new RunSummary(run.id(), run.night(), run.problems(), status(run), run.exitCode(),
                    exitReason(run), run.policy(), run.model(), run.environment(), run.startedAt(), run.endedAt(),
                    (int) t.episodes(), (int) t.finished(), (int) t.completed(), (int) t.failed(), (int) t.running(),
                    (int) t.pending(), (int) t.succeeded(), t.successRate() == null ? 0 : t.successRate(),
                    t.inputTokens(), t.outputTokens(), t.costUsd()));
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
        return new EpisodeRow(rs.getString("status"), rs.getBoolean("success"), rs.getString("error"),
                rs.getString("failure_class"));
    }

    record RunRow(long id, LocalDate night, String problems, String status, String policy, String environment,
            String model, Instant startedAt, Instant endedAt, Long jobExecutionId, String batchStatus,
            String exitCode, String exitMessage) {
    }

    private record EpisodeRow(String status, boolean success, String error, String failureClass) {

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
