package dev.rolloutbatch.runs;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.conversation.ConversationLog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runs view on PostgreSQL, over rows whose figures are known: a completed night with a retried (aborted)
 * attempt, a night stopped by its budget with an unpriced model, and a night still running.
 */
@SpringBootTest
@ActiveProfiles("pgtest")
@ExtendWith(OutputCaptureExtension.class)
class RunsViewIntegrationTests {

    private static final String DETECTION = "k8s_target_port-misconfig-detection-1";
    private static final String LOCALIZATION = "k8s_target_port-misconfig-localization-1";
    private static final String MITIGATION = "k8s_target_port-misconfig-mitigation-1";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ConversationLog log;

    @Autowired
    RunsCommand command;

    long completed;
    long budget;
    long running;

    @BeforeEach
    void seed() {
        DatabaseCleaner.clean(jdbc);
        RunsFixtures fixtures = new RunsFixtures(jdbc, log);

        completed = fixtures.run(fixtures.jobExecution("COMPLETED", "COMPLETED", ""), LocalDate.of(2026, 11, 24),
                "jobs/nightly.csv", "completed");
        long solved = fixtures.episode(completed, DETECTION, "completed", true, null);
        fixtures.conversation(solved, 1, "aborted", 100, 0, 10, new BigDecimal("0.0010"));
        fixtures.conversation(solved, 2, "completed", 1000, 500, 50, new BigDecimal("0.0100"));
        long wrong = fixtures.episode(completed, LOCALIZATION, "completed", false, null);
        fixtures.conversation(wrong, 1, "completed", 2000, 0, 100, new BigDecimal("0.0200"));
        long unreachable = fixtures.episode(completed, MITIGATION, "failed", false,
                "LLM endpoint unreachable: connection refused\n\tat somewhere");
        fixtures.conversation(unreachable, 1, "failed", 0, 0, 0, BigDecimal.ZERO);

        long execution = fixtures.jobExecution("FAILED", "FAILED", "");
        fixtures.stepExecution(execution, "plan", "COMPLETED", "");
        fixtures.stepExecution(execution, "report", "BUDGET_EXHAUSTED",
                "1 episodes were not run: the budget is spent. Restart the same command with a larger budgetUsd");
        budget = fixtures.run(execution, LocalDate.of(2026, 11, 25), "jobs/smoke.csv", "budget_exhausted");
        long unpriced = fixtures.episode(budget, DETECTION, "completed", true, null);
        fixtures.conversation(unpriced, 1, "completed", 300, 0, 30, null);
        fixtures.episode(budget, LOCALIZATION, "pending", null, null);

        running = fixtures.run(fixtures.jobExecution("STARTED", "UNKNOWN", ""), LocalDate.of(2026, 11, 26),
                "jobs/smoke.csv", "running");
        fixtures.episode(running, DETECTION, "running", null, null);
    }

    private String out = "";
    private String err = "";

    /** Runs the command and keeps what it printed (the capture also holds what came before). */
    private int run(CapturedOutput output, DefaultApplicationArguments arguments) {
        int outBefore = output.getOut().length();
        int errBefore = output.getErr().length();
        int exitCode = command.run(arguments);
        out = output.getOut().substring(outBefore);
        err = output.getErr().substring(errBefore);
        return exitCode;
    }

    @Test
    void listsTheRecentRunsNewestFirstWithTheirFiguresAsJson(CapturedOutput output) {
        assertThat(run(output, new DefaultApplicationArguments("--json"))).isZero();

        JsonNode runs = JsonMapper.shared().readTree(out).get("runs");
        assertThat(runs.valueStream().map(r -> r.get("id").asLong()).toList()).containsExactly(running, budget,
                completed);

        JsonNode night = runs.get(2);
        assertThat(night.get("night").asString()).isEqualTo("2026-11-24");
        assertThat(night.get("problems").asString()).isEqualTo("jobs/nightly.csv");
        assertThat(night.get("status").asString()).isEqualTo("completed");
        assertThat(night.get("exit_code").asString()).isEqualTo("COMPLETED");
        assertThat(night.get("episodes").asInt()).isEqualTo(3);
        assertThat(night.get("finished").asInt()).isEqualTo(3);
        assertThat(night.get("succeeded").asInt()).isEqualTo(1);
        assertThat(night.get("failed").asInt()).isEqualTo(1);
        assertThat(night.get("success_rate").asDouble()).isEqualTo(1.0 / 3);
        assertThat(night.get("input_tokens").asLong()).as("aborted attempt included").isEqualTo(100 + 1500 + 2000);
        assertThat(night.get("output_tokens").asLong()).isEqualTo(160);
        assertThat(night.get("cost_usd").decimalValue()).isEqualByComparingTo("0.0310");

        JsonNode stopped = runs.get(1);
        assertThat(stopped.get("status").asString()).isEqualTo("budget_exhausted");
        assertThat(stopped.get("exit_code").asString()).isEqualTo("FAILED");
        assertThat(stopped.get("exit_reason").asString())
            .isEqualTo("BUDGET_EXHAUSTED: 1 episodes were not run: the budget is spent. Restart the same command"
                    + " with a larger budgetUsd");
        assertThat(stopped.get("pending").asInt()).isEqualTo(1);
        assertThat(stopped.get("cost_usd").isNull()).as("a call without a price makes the cost unknown").isTrue();

        JsonNode live = runs.get(0);
        assertThat(live.get("status").asString()).isEqualTo("running");
        assertThat(live.get("running").asInt()).isEqualTo(1);
        assertThat(live.get("ended_at").isNull()).isTrue();
    }

    @Test
    void listsThemAsATableAndHonoursTheLimit(CapturedOutput output) {
        assertThat(run(output, new DefaultApplicationArguments("--limit=2"))).isZero();

        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("run", "night", "problems", "status", "success", "tokens in", "cost USD",
                "exit");
        assertThat(lines.get(1)).contains(" " + running + " ", "2026-11-26", "running", "0/1");
        assertThat(lines.get(2)).contains(" " + budget + " ", "2026-11-25", "jobs/smoke.csv", "budget_exhausted",
                "1/2", "1/1 100.0%", "unknown", "FAILED: BUDGET_EXHAUSTED: 1 episodes were not run");
    }

    @Test
    void oneRunsReportBreaksItDownAndSaysWhyEpisodesFailed(CapturedOutput output) {
        assertThat(run(output, new DefaultApplicationArguments("--run=" + completed, "--json"))).isZero();

        JsonNode report = JsonMapper.shared().readTree(out);
        assertThat(report.get("run").get("id").asLong()).isEqualTo(completed);
        assertThat(report.get("episodes_by_status").get("completed").asInt()).isEqualTo(2);
        assertThat(report.get("episodes_by_status").get("failed").asInt()).isEqualTo(1);
        assertThat(report.get("by_task_type").valueStream().map(l -> l.get("key").asString()).toList())
            .containsExactly("detection", "localization", "mitigation");
        JsonNode detection = report.get("by_problem").get(0);
        assertThat(detection.get("key").asString()).isEqualTo(DETECTION);
        assertThat(detection.get("input_tokens").asLong()).isEqualTo(1600);
        assertThat(detection.get("cost_usd").decimalValue()).isEqualByComparingTo("0.0110");
        assertThat(report.get("failure_reasons").valueStream()
            .map(r -> r.get("episodes").asInt() + " " + r.get("reason").asString()).toList())
            .containsExactlyInAnyOrder("1 LLM endpoint unreachable: connection refused",
                    "1 completed without success");
    }

    @Test
    void oneRunsReportAsText(CapturedOutput output) {
        assertThat(run(output, new DefaultApplicationArguments("--run=" + budget))).isZero();

        assertThat(out).contains("Run " + budget + ", night 2026-11-25, problems jobs/smoke.csv")
            .contains("status     budget_exhausted")
            .contains("exit       FAILED: BUDGET_EXHAUSTED: 1 episodes were not run")
            .contains("episodes   2 planned: 1 completed, 1 pending")
            .contains("cost USD   unknown")
            .contains("by task type").contains("by problem").contains(LOCALIZATION);
    }

    @Test
    void anUnknownRunOrABadOptionIsRefusedWithOneLine(CapturedOutput output) {
        long missing = running + 100;
        assertThat(run(output, new DefaultApplicationArguments("--run=" + missing))).isEqualTo(2);
        assertThat(err).contains("There is no run " + missing);
        assertThat(run(output, new DefaultApplicationArguments("--limit=none"))).isEqualTo(2);
        assertThat(err).contains("--limit must be a positive number (was 'none')");
        assertThat(run(output, new DefaultApplicationArguments("runDate=2026-11-25"))).isEqualTo(2);
        assertThat(err).contains("runs takes no job parameters (runDate=2026-11-25)");
        assertThat(out).isEmpty();
    }

    @Test
    void anEmptyDatabaseHasNoRuns(CapturedOutput output) {
        DatabaseCleaner.clean(jdbc);
        assertThat(run(output, new DefaultApplicationArguments())).isZero();
        assertThat(out).isEqualTo("No runs yet.\n");
    }
}
