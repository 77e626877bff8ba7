package dev.rolloutbatch.episode;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

import dev.rolloutbatch.DatabaseCleaner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link RunOutcomes} over rows whose figures are worked out by hand below, on the database of the subclass
 * (PostgreSQL or H2). Run A has three problems:
 * <ul>
 * <li>detection-1, three samples: rewards 1, 0, 1; project success T, F, T; AIOpsLab's verdict T, T, F; 10, 20, 30 s
 * and 4, 6, 8 steps;</li>
 * <li>detection-2, three samples: one completed (reward 0.5, success F, an old evaluation without the AIOpsLab
 * part: its verdict is the project's), one failed (reward 0, a timeout-free failure), one pending;</li>
 * <li>mitigation-1, two samples, both completed and successful (reward 1) under both gradings.</li>
 * </ul>
 * Run B has one completed detection-1 sample, so that the per-run totals keep the runs apart.
 */
abstract class RunOutcomesContract {

    static final String D1 = "k8s_target_port-misconfig-detection-1";
    static final String D2 = "k8s_target_port-misconfig-detection-2";
    static final String M1 = "k8s_target_port-misconfig-mitigation-1";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RunOutcomes outcomes;

    long runA;
    long runB;
    private long nextInstance = 5000;

    @BeforeEach
    void seed() {
        DatabaseCleaner.clean(jdbc);
        runA = run();
        runB = run();
        // detection-1: 1 call each of 100 in / 10 out at 0.001 USD, plus an aborted attempt of sample 0 (50 / 5, 0.0005)
        long e = episode(runA, D1, 0, "completed", true, 1.0, true, 10, 4);
        call(conversation(e, 1, "aborted"), 50, 5, "0.0005");
        call(conversation(e, 2, "completed"), 100, 10, "0.001");
        call(conversation(episode(runA, D1, 1, "completed", false, 0.0, true, 20, 6), 1, "completed"), 100, 10,
                "0.001");
        call(conversation(episode(runA, D1, 2, "completed", true, 1.0, false, 30, 8), 1, "completed"), 100, 10,
                "0.001");
        // detection-2: 200 / 20 at 0.002 for the completed one, 0.0 for the failed one, nothing for the pending one
        call(conversation(episode(runA, D2, 0, "completed", false, 0.5, null, 40, 10), 1, "completed"), 200, 20,
                "0.002");
        call(conversation(episode(runA, D2, 1, "failed", false, 0.0, null, 5, 2), 1, "failed"), 0, 0, "0");
        episode(runA, D2, 2, "pending", null, null, null, 0, 0);
        // mitigation-1: 300 / 30 each, the second without a price (a model missing from the table)
        call(conversation(episode(runA, M1, 0, "completed", true, 1.0, true, 60, 12), 1, "completed"), 300, 30,
                "0.003");
        call(conversation(episode(runA, M1, 1, "completed", true, 1.0, true, 60, 14), 1, "completed"), 300, 30,
                null);
        call(conversation(episode(runB, D1, 0, "completed", false, 0.0, false, 10, 3), 1, "completed"), 7, 1,
                "0.0001");
    }

    @Test
    void aProblemsFiguresAreItsSamples() {
        RunOutcomes.Report report = outcomes.report(runA);
        assertThat(report.byProblem()).extracting(Outcome::key).as("in the order they were planned")
            .containsExactly(D1, D2, M1);
        Outcome d1 = report.byProblem().get(0);
        assertThat(d1.taskType()).isEqualTo("detection");
        assertThat(d1.episodes()).isEqualTo(3);
        assertThat(d1.finished()).isEqualTo(3);
        assertThat(d1.succeeded()).isEqualTo(2);
        assertThat(d1.aiopslabSucceeded()).isEqualTo(2);
        assertThat(d1.successRate()).isCloseTo(2.0 / 3, within(1e-12));
        // rewards 1, 0, 1: mean 2/3, sample variance ((1/3)^2 * 2 + (2/3)^2) / 2 = 1/3
        double std = Math.sqrt(1.0 / 3);
        assertThat(d1.meanReward()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(d1.rewardStd()).isCloseTo(std, within(1e-12));
        // Student's t with 2 degrees of freedom: 4.303
        assertThat(d1.rewardCiLow()).isCloseTo(2.0 / 3 - 4.303 * std / Math.sqrt(3), within(1e-9));
        assertThat(d1.rewardCiHigh()).isCloseTo(2.0 / 3 + 4.303 * std / Math.sqrt(3), within(1e-9));
        // n=3, c=2: pass@1 = 2/3, pass@2 = 1 - C(1,2)/C(3,2) = 1, pass@3 = 1
        assertThat(d1.passAtK()).containsOnlyKeys(1, 2, 3);
        assertThat(d1.passAtK().get(1)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(d1.passAtK().get(2)).isCloseTo(1.0, within(1e-12));
        assertThat(d1.avgSteps()).isCloseTo(6.0, within(1e-12));
        assertThat(d1.avgSeconds()).isCloseTo(20.0, within(1e-9));
        assertThat(d1.inputTokens()).as("the aborted attempt was paid for").isEqualTo(350);
        assertThat(d1.outputTokens()).isEqualTo(35);
        assertThat(d1.costUsd()).isEqualByComparingTo("0.0035");

        Outcome d2 = report.byProblem().get(1);
        assertThat(d2.episodes()).isEqualTo(3);
        assertThat(d2.pending()).isEqualTo(1);
        assertThat(d2.completed()).isEqualTo(1);
        assertThat(d2.failed()).isEqualTo(1);
        assertThat(d2.finished()).isEqualTo(2);
        assertThat(d2.succeeded()).isZero();
        assertThat(d2.aiopslabSucceeded()).as("no AIOpsLab verdict: the project's").isZero();
        assertThat(d2.meanReward()).isCloseTo(0.25, within(1e-12));
        // rewards 0.5, 0: sample std sqrt(0.125); t with 1 degree of freedom: 12.706
        assertThat(d2.rewardStd()).isCloseTo(Math.sqrt(0.125), within(1e-12));
        assertThat(d2.rewardCiHigh()).isCloseTo(0.25 + 12.706 * Math.sqrt(0.125) / Math.sqrt(2), within(1e-9));
        assertThat(d2.passAtK()).containsOnlyKeys(1, 2);
        assertThat(d2.passAtK().get(2)).isZero();
        assertThat(d2.avgSeconds()).as("over the two finished").isCloseTo(22.5, within(1e-9));
        assertThat(d2.costUsd()).isEqualByComparingTo("0.002");

        Outcome m1 = report.byProblem().get(2);
        assertThat(m1.taskType()).isEqualTo("mitigation");
        assertThat(m1.rewardStd()).isZero();
        assertThat(m1.rewardCiLow()).isCloseTo(1.0, within(1e-12));
        assertThat(m1.inputTokens()).isEqualTo(600);
        assertThat(m1.costUsd()).as("a call without a price makes the cost unknown").isNull();
    }

    @Test
    void aTaskTypesFiguresAreItsEpisodesAndItsPassAtKTheMeanOverItsProblems() {
        List<Outcome> byType = outcomes.byTaskType(runA);
        assertThat(byType).extracting(Outcome::key).containsExactly("detection", "mitigation");
        Outcome detection = byType.get(0);
        assertThat(detection.problems()).isEqualTo(2);
        assertThat(detection.episodes()).isEqualTo(6);
        assertThat(detection.finished()).isEqualTo(5);
        assertThat(detection.succeeded()).isEqualTo(2);
        assertThat(detection.aiopslabSucceeded()).isEqualTo(2);
        assertThat(detection.successRate()).isCloseTo(0.4, within(1e-12));
        // rewards 1, 0, 1, 0.5, 0: mean 0.5, squared deviations 0.25 * 4 + 0 = 1, sample variance 1/4
        assertThat(detection.meanReward()).isCloseTo(0.5, within(1e-12));
        assertThat(detection.rewardStd()).isCloseTo(0.5, within(1e-12));
        assertThat(detection.rewardCiLow()).isCloseTo(0.5 - 2.776 * 0.5 / Math.sqrt(5), within(1e-9));
        // k up to the fewest finished samples (2): pass@1 = (2/3 + 0) / 2, pass@2 = (1 + 0) / 2
        assertThat(detection.passAtK()).containsOnlyKeys(1, 2);
        assertThat(detection.passAtK().get(1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(detection.passAtK().get(2)).isCloseTo(0.5, within(1e-12));
        // AIOpsLab: detection-1 n=3 c=2 (T, T, F), detection-2 n=2 c=0
        assertThat(detection.aiopslabPassAtK().get(1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(detection.avgSteps()).isCloseTo(30.0 / 5, within(1e-12));
        assertThat(detection.inputTokens()).isEqualTo(550);
        assertThat(detection.costUsd()).isEqualByComparingTo("0.0055");
        assertThat(byType.get(1).passAtK()).containsExactly(Map.entry(1, 1.0), Map.entry(2, 1.0));
    }

    @Test
    void aRunsTotalsAreAllItsEpisodesAndNoOtherRuns() {
        Outcome all = outcomes.report(runA).total();
        assertThat(all.key()).isEqualTo("all");
        assertThat(all.taskType()).isNull();
        assertThat(all.problems()).isEqualTo(3);
        assertThat(all.episodes()).isEqualTo(8);
        assertThat(all.pending()).isEqualTo(1);
        assertThat(all.finished()).isEqualTo(7);
        assertThat(all.completed()).isEqualTo(6);
        assertThat(all.failed()).isEqualTo(1);
        assertThat(all.succeeded()).isEqualTo(4);
        assertThat(all.aiopslabSucceeded()).isEqualTo(4);
        // rewards 1, 0, 1, 0.5, 0, 1, 1: mean 4.5/7
        assertThat(all.meanReward()).isCloseTo(4.5 / 7, within(1e-12));
        assertThat(all.inputTokens()).isEqualTo(1150);
        assertThat(all.outputTokens()).isEqualTo(115);
        assertThat(all.costUsd()).isNull();
        // pass@1 over the three problems: (2/3 + 0 + 1) / 3; pass@2: (1 + 0 + 1) / 3
        assertThat(all.passAtK().get(1)).isCloseTo(5.0 / 9, within(1e-12));
        assertThat(all.passAtK().get(2)).isCloseTo(2.0 / 3, within(1e-12));

        Map<Long, Outcome> totals = outcomes.totals(List.of(runA, runB, runB + 1000));
        assertThat(totals).containsOnlyKeys(runA, runB);
        assertThat(totals.get(runA)).isEqualTo(all);
        Outcome b = totals.get(runB);
        assertThat(b.episodes()).isEqualTo(1);
        assertThat(b.succeeded()).isZero();
        assertThat(b.inputTokens()).isEqualTo(7);
        assertThat(b.costUsd()).isEqualByComparingTo("0.0001");
        assertThat(b.passAtK()).containsExactly(Map.entry(1, 0.0));
        assertThat(outcomes.report(runB + 1000).total()).isEqualTo(Outcome.none("all"));
    }

    @Test
    void problemsComeInPagesByIdOfOneTaskTypeOrAllOrByTheirIds() {
        assertThat(outcomes.problems(runA, null, 2, 0)).extracting(Outcome::key).containsExactly(D1, D2);
        assertThat(outcomes.problems(runA, null, 2, 2)).extracting(Outcome::key).containsExactly(M1);
        assertThat(outcomes.problems(runA, "mitigation", 10, 0)).singleElement()
            .isEqualTo(outcomes.report(runA).byProblem().get(2));
        assertThat(outcomes.problems(runA, List.of(M1, D1, "no-such-problem"))).containsOnlyKeys(D1, M1)
            .containsEntry(M1, outcomes.report(runA).byProblem().get(2));
        assertThat(outcomes.problems(runB, List.of(D1)).get(D1).episodes()).isEqualTo(1);
        assertThat(outcomes.problemCount(runA, null)).isEqualTo(3);
        assertThat(outcomes.problemCount(runA, "detection")).isEqualTo(2);
    }

    @Test
    void theAiopslabVerdictIsReadFromTheEvaluationAndFallsBackToTheProjectsForOldRows() {
        List<Boolean> verdicts = jdbc.queryForList("SELECT " + outcomes.aiopslabVerdict()
                + " FROM episode e WHERE e.run_id = ? AND e.status = 'completed' ORDER BY e.id", Boolean.class, runA);
        assertThat(verdicts).containsExactly(true, true, false, false, true, true);
    }

    private long run() {
        long instance = nextInstance++;
        return insert("""
                INSERT INTO run (job_instance_id, job_execution_id, run_date, problems_source, parameters, policy,
                    environment, model, status, started_at)
                VALUES (?, ?, DATE '2026-11-24', 'jobs/nightly.csv', '{}', 'openai', 'simulated', 'gpt-4o', 'completed',
                    ?)""", instance, instance, at(0));
    }

    /**
     * An episode; {@code aiopslab} null writes an evaluation from before both gradings (no AIOpsLab part), else
     * one whose AIOpsLab verdict it is.
     */
    private long episode(long runId, String problemId, int sample, String status, Boolean success, Double reward,
            Boolean aiopslab, int seconds, int steps) {
        boolean started = !status.equals("pending");
        String evaluation = !started ? null : aiopslab == null ? "{\"Detection Accuracy\": \"Correct\"}"
                : "{\"aiopslab\": {\"success\": " + aiopslab + ", \"results\": {}}, \"reward\": {\"success\": "
                        + success + ", \"value\": " + reward + "}}";
        return insert("""
                INSERT INTO episode (run_id, source, problem_id, task_type, application, sample_index, group_id, seed,
                    status, attempt, policy, environment, model, max_steps, timeout_seconds, parameters, created_at,
                    started_at, ended_at, steps_taken, success, reward, evaluation)
                VALUES (?, 'job', ?, ?, 'SocialNetwork', ?, ?, 1, ?, 1, 'openai', 'simulated', 'gpt-4o', 30, 600, '{}',
                    ?, ?, ?, ?, ?, ?, ?)""", runId, problemId,
                problemId.replaceAll(".*-(detection|mitigation)-\\d+", "$1"), sample, runId + ":" + problemId, status,
                at(0), started ? at(100) : null, started ? at(100 + seconds) : null, started ? steps : null, success,
                reward, evaluation);
    }

    /** Inserts a row and returns its generated id (RETURNING is PostgreSQL's, not H2's). */
    private long insert(String sql, Object... args) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement(sql, new String[] { "id" });
            new ArgumentPreparedStatementSetter(args).setValues(statement);
            return statement;
        }, key);
        return key.getKey().longValue();
    }

    private UUID conversation(long episodeId, int attempt, String status) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO conversation (id, episode_id, attempt, status, policy, model, protocol, sampling, started_at)
                VALUES (?, ?, ?, ?, 'openai', 'gpt-4o', 'text', '{}', ?)""", id, episodeId, attempt, status, at(100));
        return id;
    }

    /** One LLM call; its input split over the uncached, cache read and cache write buckets, all of which count. */
    private void call(UUID conversationId, long input, long output, String cost) {
        jdbc.update("""
                INSERT INTO llm_call (conversation_id, seq, step, model_requested, started_at, latency_ms, attempts,
                    input_uncached_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
                    usage_estimated, cost_usd)
                VALUES (?, 0, 1, 'gpt-4o', ?, 100, 1, ?, ?, ?, ?, 0, FALSE, ?)""", conversationId, at(100),
                input - input / 2 - input / 5, input / 2, input / 5, output, cost == null ? null : new BigDecimal(cost));
    }

    private static OffsetDateTime at(int seconds) {
        return OffsetDateTime.of(2026, 11, 24, 2, 0, 0, 0, ZoneOffset.UTC).plusSeconds(seconds);
    }
}
