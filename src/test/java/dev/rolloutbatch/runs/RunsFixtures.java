package dev.rolloutbatch.runs;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.rolloutbatch.conversation.ConversationLog;
import dev.rolloutbatch.conversation.ConversationStatus;

/**
 * Rows as the collect job and Spring Batch leave them, inserted straight into the database so that each figure
 * of the runs view is known in advance: job instances and executions, runs, episodes, their conversations and
 * LLM calls.
 */
final class RunsFixtures {

    private final JdbcTemplate jdbc;
    private final ConversationLog log;
    private long nextBatchId = 1000;

    RunsFixtures(JdbcTemplate jdbc, ConversationLog log) {
        this.jdbc = jdbc;
        this.log = log;
    }

    /** A job execution with its instance; returns the execution id. */
    long jobExecution(String status, String exitCode, String exitMessage) {
        long id = nextBatchId++;
        jdbc.update("INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) VALUES (?, 0, 'collect', ?)",
                id, "key-" + id);
        jdbc.update("""
                INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time,
                    end_time, status, exit_code, exit_message, last_updated) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)""",
                id, id, local(0), local(0), status.equals("STARTED") ? null : local(60), status, exitCode, exitMessage,
                local(60));
        return id;
    }

    void stepExecution(long jobExecutionId, String stepName, String exitCode, String exitMessage) {
        long id = nextBatchId++;
        jdbc.update("""
                INSERT INTO batch_step_execution (step_execution_id, version, step_name, job_execution_id, create_time,
                    start_time, end_time, status, commit_count, read_count, filter_count, write_count, read_skip_count,
                    write_skip_count, process_skip_count, rollback_count, exit_code, exit_message, last_updated)
                VALUES (?, 1, ?, ?, ?, ?, ?, 'COMPLETED', 1, 0, 0, 0, 0, 0, 0, 0, ?, ?, ?)""", id, stepName,
                jobExecutionId, local(0), local(0), local(30), exitCode, exitMessage, local(30));
    }

    long run(long jobExecutionId, LocalDate night, String problems, String status) {
        return jdbc.queryForObject("""
                INSERT INTO run (job_instance_id, job_execution_id, run_date, problems_source, parameters, policy,
                    environment, model, status, started_at, ended_at)
                VALUES (?, ?, ?, ?, '{}', 'openai', 'simulated', 'gpt-4o', ?, ?, ?) RETURNING id""", Long.class,
                jobExecutionId, jobExecutionId, night, problems, status, utc(0),
                status.equals("running") ? null : utc(3600));
    }

    long episode(long runId, String problemId, String status, Boolean success, String error) {
        String taskType = problemId.replaceAll(".*-(detection|localization|analysis|mitigation)-\\d+", "$1");
        return jdbc.queryForObject("""
                INSERT INTO episode (run_id, source, problem_id, task_type, application, sample_index, group_id, seed,
                    status, attempt, policy, environment, model, max_steps, timeout_seconds, parameters, created_at,
                    success, error)
                VALUES (?, 'job', ?, ?, 'SocialNetwork', 0, ?, 1, ?, 1, 'openai', 'simulated', 'gpt-4o', 10, 600, '{}',
                    ?, ?, ?) RETURNING id""", Long.class, runId, problemId, taskType, runId + ":" + problemId, status,
                utc(0), success, error);
    }

    /**
     * A conversation of one LLM call with the given usage; {@code cost} null as for a model without a price. Closed
     * with {@code status} by the conversation log, which sums its totals from the call.
     */
    void conversation(long episodeId, int attempt, String status, long inputUncached, long cacheRead, long output,
            BigDecimal cost) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO conversation (id, episode_id, attempt, status, policy, model, protocol, sampling,
                    started_at) VALUES (?, ?, ?, 'running', 'openai', 'gpt-4o', 'text', '{}', ?)""", id, episodeId,
                attempt, utc(10));
        jdbc.update("""
                INSERT INTO llm_call (conversation_id, seq, step, model_requested, started_at, latency_ms, attempts,
                    input_uncached_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
                    usage_estimated, cost_usd)
                VALUES (?, 0, 1, 'gpt-4o', ?, 100, 1, ?, ?, 0, ?, 0, FALSE, ?)""", id, utc(10), inputUncached,
                cacheRead, output, cost);
        log.close(id, ConversationStatus.valueOf(status.toUpperCase(Locale.ROOT)), utc(20).toInstant());
        log.sync();
    }

    private static OffsetDateTime utc(int seconds) {
        return OffsetDateTime.of(2026, 11, 25, 2, 0, 0, 0, ZoneOffset.UTC).plusSeconds(seconds);
    }

    private static java.sql.Timestamp local(int seconds) {
        return java.sql.Timestamp.valueOf(utc(seconds).toLocalDateTime());
    }
}
