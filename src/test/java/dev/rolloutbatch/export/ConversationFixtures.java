package dev.rolloutbatch.export;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.rolloutbatch.conversation.ConversationLog;
import dev.rolloutbatch.conversation.ConversationStatus;

/**
 * Inserts runs, episodes, conversations, messages and LLM calls straight into the database, shaped like what the
 * collect job logs: native tool calls or the text protocol, successes and failures, retried attempts, a model
 * without a price (NULL cost), token ids and logprobs on some calls.
 */
final class ConversationFixtures {

    static final String DETECTION = "k8s_target_port-misconfig-detection-1";
    static final String LOCALIZATION = "k8s_target_port-misconfig-localization-1";
    static final String ANALYSIS = "k8s_target_port-misconfig-analysis-1";
    static final String MITIGATION = "k8s_target_port-misconfig-mitigation-1";

    static final String TOOLS_JSON = """
            [{"type":"function","function":{"name":"get_logs","description":"Collect logs","parameters":{"type":"object","properties":{"namespace":{"type":"string"},"service":{"type":"string"}},"required":["namespace","service"]}}},{"type":"function","function":{"name":"submit","description":"Submit the answer","parameters":{"type":"object","properties":{"answer":{}}}}}]""";

    enum Protocol { TOOLS, TEXT }

    private static final AtomicLong INSTANCE_IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private final JdbcTemplate jdbc;
    private final ConversationLog log;

    ConversationFixtures(JdbcTemplate jdbc, ConversationLog log) {
        this.jdbc = jdbc;
        this.log = log;
    }

    long run(LocalDate runDate, String model) {
        long instance = INSTANCE_IDS.incrementAndGet();
        return jdbc.queryForObject("""
                INSERT INTO run (job_instance_id, job_execution_id, run_date, problems_source, parameters, policy,
                    environment, model, status, started_at, ended_at)
                VALUES (?, ?, ?, 'jobs/nightly.csv', '{}', 'openai', 'simulated', ?, 'completed', ?, ?) RETURNING id""",
                Long.class, instance, instance, runDate, model, at(runDate, 0), at(runDate, 3600));
    }

    /** An episode; {@code runId} null for one submitted over HTTP, created on {@code day}. */
    long episode(Long runId, LocalDate day, String problemId, int sample, String status, Boolean success,
            Double reward, String evaluation, String error) {
        String taskType = problemId.replaceAll(".*-(detection|localization|analysis|mitigation)-\\d+", "$1");
        return jdbc.queryForObject("""
                INSERT INTO episode (run_id, source, problem_id, task_type, application, sample_index, group_id, seed,
                    status, attempt, policy, environment, model, max_steps, timeout_seconds, parameters, created_at,
                    started_at, ended_at, success, reward, evaluation, error)
                VALUES (?, ?, ?, ?, 'SocialNetwork', ?, ?, ?, ?, 1, 'openai', 'simulated', 'gpt-4o', 10, 600, '{}', ?,
                    ?, ?, ?, ?, ?, ?) RETURNING id""", Long.class, runId, runId == null ? "api" : "job", problemId,
                taskType, sample, (runId == null ? "api-" + UUID.randomUUID() : "run-" + runId) + ":" + problemId,
                42L + sample, status, at(day, 60), at(day, 60), at(day, 600), success, reward, evaluation, error);
    }

    /**
     * A conversation with a system prompt, the task, two agent steps (get_logs then submit) and their
     * observations, and one LLM call per assistant message; closed with {@code status} by the conversation log,
     * which sums its totals from the rows.
     *
     * @param model     "unknown-model" gets NULL costs
     * @param withTokens token ids and logprobs on every call (prefix-consistent, as vLLM returns them)
     */
    UUID conversation(long episodeId, int attempt, String status, String model, Protocol protocol,
            boolean withTokens, LocalDate day) {
        UUID id = UUID.randomUUID();
        OffsetDateTime start = at(day, 100 + attempt);
        jdbc.update("""
                INSERT INTO conversation (id, episode_id, attempt, status, policy, model, protocol, sampling, tools,
                    started_at) VALUES (?, ?, ?, 'running', 'openai', ?, ?, ?, ?, ?)""", id, episodeId, attempt, model, protocol == Protocol.TOOLS ? "tools" : "text",
                "{\"model\":\"" + model + "\",\"protocol\":\"tools\",\"temperature\":0.7,\"top_p\":0.95,"
                        + "\"max_tokens\":1024,\"seed\":42,\"stop\":[],\"logprobs\":" + withTokens + "}",
                protocol == Protocol.TOOLS ? TOOLS_JSON : null, start);
        message(id, 0, "system", "You are an expert DevOps engineer. Namespace: test-social-network.", null, null, 0, start);
        message(id, 1, "user", "Task: detect whether there is an anomaly in the SocialNetwork application.", null,
                null, 0, start);
        if (protocol == Protocol.TOOLS) {
            message(id, 2, "assistant", null, """
                    [{"id":"call_1","type":"function","function":{"name":"get_logs","arguments":"{\\"namespace\\": \\"test-social-network\\", \\"service\\": \\"user-service\\"}"}}]""",
                    null, 1, start);
            message(id, 3, "tool", "connection refused on port 9090 (ünïcödé ✓)", null, "call_1", 1, start);
            message(id, 4, "assistant", "The service is unreachable.", """
                    [{"id":"call_2","type":"function","function":{"name":"submit","arguments":"{\\"answer\\": \\"Yes\\"}"}}]""",
                    null, 2, start);
            message(id, 5, "tool", "Submission received.", null, "call_2", 2, start);
        }
        else {
            message(id, 2, "assistant", "```\nget_logs(\"test-social-network\", \"user-service\")\n```", null, null, 1, start);
            message(id, 3, "user", "connection refused on port 9090", null, null, 1, start);
            message(id, 4, "assistant", "```\nsubmit(\"Yes\")\n```", null, null, 2, start);
            message(id, 5, "user", "Submission received.", null, null, 2, start);
        }
        boolean priced = !"unknown-model".equals(model);
        call(id, 0, 1, model, 1200 + attempt, 0, 0, 40, 0, priced ? new BigDecimal("0.0031000000") : null,
                withTokens ? "{\"prompt_token_ids\":[1,2,3],\"token_ids\":[10,11]}" : null,
                withTokens ? "[-0.5,-0.25]" : null, start);
        call(id, 1, 2, model, 300, 1000, 50, 25, 7, priced ? new BigDecimal("0.0012345678") : null,
                withTokens ? "{\"prompt_token_ids\":[1,2,3,10,11,20,21],\"token_ids\":[12,13,14]}" : null,
                withTokens ? "{\"content\":[{\"token\":\"a\",\"logprob\":-0.1},{\"token\":\"b\",\"logprob\":-0.2},{\"token\":\"c\",\"logprob\":-0.3}]}" : null,
                start);
        log.close(id, ConversationStatus.valueOf(status.toUpperCase(Locale.ROOT)), start.plusSeconds(30).toInstant());
        log.sync();
        return id;
    }

    private void message(UUID conversation, int seq, String role, String content, String toolCalls,
            String toolCallId, int step, OffsetDateTime at) {
        jdbc.update("""
                INSERT INTO message (conversation_id, seq, role, content, name, tool_calls, tool_call_id, step,
                    created_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)""", conversation, seq, role, content,
                toolCalls == null ? null : toolCalls.strip(), toolCallId, step, at.plusSeconds(seq));
    }

    private void call(UUID conversation, int seq, int step, String model, long inputUncached, long cacheRead,
            long cacheWrite, long output, long reasoning, BigDecimal cost, String tokenIds, String logprobs,
            OffsetDateTime at) {
        jdbc.update("""
                INSERT INTO llm_call (conversation_id, seq, step, request_id, model_requested, model_reported,
                    started_at, latency_ms, finish_reason, attempts, input_uncached_tokens, cache_read_tokens,
                    cache_write_tokens, output_tokens, reasoning_tokens, usage_estimated, cost_usd, price_version,
                    token_ids, logprobs)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'tool_calls', 1, ?, ?, ?, ?, ?, FALSE, ?, 'test', ?, ?)""",
                conversation, seq, step, "req-" + seq, model, model, at.plusSeconds(seq), 850L + seq * 100L,
                inputUncached, cacheRead, cacheWrite, output, reasoning, cost, tokenIds, logprobs);
    }

    static OffsetDateTime at(LocalDate day, long secondsAfterMidnight) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC).plusSeconds(secondsAfterMidnight);
    }

    static Instant instant(LocalDate day, long secondsAfterMidnight) {
        return at(day, secondsAfterMidnight).toInstant();
    }

    /** What {@link #standard} inserted. */
    record Standard(LocalDate day, long runA, long runB, long runOtherDay, UUID successWithTokens,
            UUID textFailure, UUID retried, UUID abortedAttempt, UUID failed, UUID timeout, UUID unpriced,
            UUID otherDay, UUID http) {
    }

    /**
     * Run A on {@code day}: detection ×2 samples (a success with token ids, a graded failure on the text
     * protocol), localization completed on its second attempt (the first aborted), analysis failed, mitigation
     * timed out, plus a pending episode. Run B (same day, a model without price): one success. A run the day
     * before: one success. One episode submitted over HTTP (no run) on {@code day}: a success.
     */
    Standard standard(LocalDate day) {
        long runA = run(day, "gpt-4o");
        long e1 = episode(runA, day, DETECTION, 0, "completed", true, 1.0, "{\"Detection Accuracy\":\"Correct\"}", null);
        UUID c1 = conversation(e1, 1, "completed", "gpt-4o", Protocol.TOOLS, true, day);
        long e2 = episode(runA, day, DETECTION, 1, "completed", false, 0.0, "{\"Detection Accuracy\":\"Incorrect\"}", null);
        UUID c2 = conversation(e2, 1, "completed", "gpt-4o", Protocol.TEXT, false, day);
        long e3 = episode(runA, day, LOCALIZATION, 0, "completed", true, 1.0, "{\"Localization Accuracy\":100.0}", null);
        UUID c3a = conversation(e3, 1, "aborted", "gpt-4o", Protocol.TOOLS, false, day);
        UUID c3 = conversation(e3, 2, "completed", "gpt-4o", Protocol.TOOLS, false, day);
        long e4 = episode(runA, day, ANALYSIS, 0, "failed", null, null, null, "LLM unavailable after 5 attempts");
        UUID c4 = conversation(e4, 1, "failed", "gpt-4o", Protocol.TOOLS, false, day);
        long e5 = episode(runA, day, MITIGATION, 0, "timeout", false, 0.0, null, "episode timed out after 600s");
        UUID c5 = conversation(e5, 1, "failed", "gpt-4o", Protocol.TOOLS, false, day);
        episode(runA, day, MITIGATION, 1, "pending", null, null, null, null);
        long runB = run(day, "unknown-model");
        long e7 = episode(runB, day, DETECTION, 0, "completed", true, 1.0, "{\"Detection Accuracy\":\"Correct\"}", null);
        UUID c7 = conversation(e7, 1, "completed", "unknown-model", Protocol.TOOLS, false, day);
        long runOther = run(day.minusDays(1), "gpt-4o");
        long e8 = episode(runOther, day.minusDays(1), DETECTION, 0, "completed", true, 1.0, "{}", null);
        UUID c8 = conversation(e8, 1, "completed", "gpt-4o", Protocol.TOOLS, false, day.minusDays(1));
        long e9 = episode(null, day, DETECTION, 0, "completed", true, 1.0, "{\"Detection Accuracy\":\"Correct\"}", null);
        UUID c9 = conversation(e9, 1, "completed", "gpt-4o", Protocol.TOOLS, false, day);
        return new Standard(day, runA, runB, runOther, c1, c2, c3, c3a, c4, c5, c7, c8, c9);
    }
}
