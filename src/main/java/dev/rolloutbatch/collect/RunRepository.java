package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.rolloutbatch.episode.EpisodeStatus;

import static dev.rolloutbatch.conversation.Timestamps.utc;

/** The {@code run} table: one row per collect job instance, kept across restarts. */
@Repository
class RunRepository {

    private final JdbcTemplate jdbc;

    RunRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Long> findByJobInstance(long jobInstanceId) {
        List<Long> ids = jdbc.queryForList("SELECT id FROM run WHERE job_instance_id = ?", Long.class, jobInstanceId);
        return ids.stream().findFirst();
    }

    long create(long jobInstanceId, long jobExecutionId, CollectParameters p, String parametersJson,
            ProblemList.Content list) {
        jdbc.update("""
                INSERT INTO run (job_instance_id, job_execution_id, run_date, problems_source, problems_sha256,
                    problems_content, parameters, policy, environment, model, status, started_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", jobInstanceId, jobExecutionId, p.runDate(),
                p.problems(), list.sha256(), list.text(), parametersJson, p.policy(), p.environment(), p.model(),
                RunStatus.RUNNING.id(), utc(Instant.now()));
        return findByJobInstance(jobInstanceId).orElseThrow();
    }

    void attachExecution(long runId, long jobExecutionId, String parametersJson) {
        jdbc.update("UPDATE run SET job_execution_id = ?, parameters = ?, status = ?, ended_at = NULL WHERE id = ?",
                jobExecutionId, parametersJson, RunStatus.RUNNING.id(), runId);
    }

    /** The run stopped on request before its end; the same command resumes it. */
    void markStopped(long runId) {
        jdbc.update("UPDATE run SET status = ?, ended_at = ? WHERE id = ?", RunStatus.STOPPED.id(), utc(Instant.now()),
                runId);
    }

    void finish(long runId, RunStatus status, RunTotals totals, String reportJson) {
        jdbc.update("""
                UPDATE run SET status = ?, ended_at = ?, episodes_planned = ?, episodes_completed = ?,
                    episodes_succeeded = ?, episodes_failed = ?, input_tokens = ?, output_tokens = ?, cost_usd = ?,
                    report = ?
                WHERE id = ?""", status.id(), utc(Instant.now()), totals.planned(), totals.completed(), totals.succeeded(),
                totals.failed(), totals.inputTokens(), totals.outputTokens(), totals.costUsd(), reportJson, runId);
    }

    /** Counts and spend of a run so far, summed from the episode and llm_call rows. */
    RunTotals totals(long runId) {
        Spend spend = spend(runId);
        return jdbc.queryForObject("""
                SELECT COUNT(*) AS planned,
                    SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS completed,
                    SUM(CASE WHEN success THEN 1 ELSE 0 END) AS succeeded,
                    SUM(CASE WHEN status IN (?, ?, ?) THEN 1 ELSE 0 END) AS failed,
                    SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS pending
                FROM episode WHERE run_id = ?""", (rs, i) -> new RunTotals(rs.getInt("planned"),
                rs.getInt("completed"), rs.getInt("succeeded"), rs.getInt("failed"), rs.getInt("pending"),
                spend.inputTokens(), spend.outputTokens(), spend.costUsd()), EpisodeStatus.COMPLETED.id(),
                EpisodeStatus.FAILED.id(), EpisodeStatus.TIMEOUT.id(), EpisodeStatus.CANCELLED.id(),
                EpisodeStatus.PENDING.id(), runId);
    }

    /**
     * Tokens and money of every LLM call of the run, summed from the {@code llm_call} rows themselves: calls of
     * aborted attempts (a killed process, a stopped episode) count too, they were paid for. A row is written as
     * soon as its call ends, so the sum survives any crash. Cost is NULL only when a call's model has no price.
     */
    Spend spend(long runId) {
        return jdbc.queryForObject("""
                SELECT COALESCE(SUM(l.input_uncached_tokens + l.cache_read_tokens + l.cache_write_tokens), 0) AS input_tokens,
                    COALESCE(SUM(l.output_tokens), 0) AS output_tokens,
                    CASE WHEN COUNT(*) = COUNT(l.cost_usd) THEN COALESCE(SUM(l.cost_usd), 0) END AS cost
                FROM llm_call l JOIN conversation c ON c.id = l.conversation_id JOIN episode e ON e.id = c.episode_id
                WHERE e.run_id = ?""",
                (rs, i) -> new Spend(rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                        rs.getBigDecimal("cost")), runId);
    }

    record Spend(long inputTokens, long outputTokens, BigDecimal costUsd) {
    }

    record RunTotals(int planned, int completed, int succeeded, int failed, int pending, long inputTokens,
            long outputTokens, BigDecimal costUsd) {

        int done() {
            return completed + failed;
        }
    }
}
