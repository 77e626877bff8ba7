package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;
import dev.rolloutbatch.conversation.Timestamps;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM (what {@code systemctl stop} and a Kubernetes eviction send) to a collect run in its own JVM, with the
 * openai policy talking to a local OpenAI-compatible fixture: no episode starts after the signal, those in flight
 * finish within the grace period or are abandoned with their LLM calls kept, the job execution ends
 * {@code STOPPED}, the process exits 143, and the same command finishes the run exactly once.
 */
@SpringBootTest
@ActiveProfiles("pgtest")
class CollectSigtermIntegrationTests {

    /** Every answer is one more look at the cluster: an episode makes maxSteps calls and ends without a submission. */
    static final OpenAiProtocolFixture llm = OpenAiProtocolFixture.start();

    static final int MAX_STEPS = 4;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private Environment environment;

    @TempDir
    Path logs;

    @AfterAll
    static void stopFixture() {
        llm.close();
    }

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
        llm.reset()
            .recordRequests(false)
            .fallback(Reply.content("```\nexec_shell(\"kubectl get pods -A\")\n```").withUsage(1000, 0, 100, 0));
    }

    @Test
    void episodesInFlightFinishWithinTheGracePeriodTheRunStopsAndTheSameCommandFinishesIt() throws Exception {
        llm.latency(Duration.ofMillis(250));
        Path log = logs.resolve("first.log");
        Process first = start(log, "30s");
        waitForCompletedEpisodes(first, log, 4);

        Instant signalled = Instant.now();
        first.destroy(); // SIGTERM
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as(CollectProcess.tail(log)).isTrue();
        int startedAtSignal = llm.requestCount();

        assertThat(first.exitValue()).as(CollectProcess.tail(log)).isEqualTo(143);
        assertThat(Files.readString(log)).contains("Shutdown requested (SIGTERM)")
            .contains("stop requested: no new episodes start")
            .contains("0 episodes were still running after the 30s grace period")
            .contains("job stopped on request")
            .contains("Run the same command again to resume it");
        assertThat(jdbc.queryForObject("SELECT status FROM batch_job_execution", String.class)).isEqualTo("STOPPED");
        assertThat(jdbc.queryForObject("SELECT status FROM run", String.class)).isEqualTo("stopped");
        assertThat(count("SELECT COUNT(*) FROM episode WHERE status = 'running'")).as("nothing left running").isZero();
        assertThat(count("SELECT COUNT(*) FROM conversation WHERE status IN ('running', 'aborted')"))
            .as("every episode in flight finished within the grace period").isZero();
        int pending = count("SELECT COUNT(*) FROM episode WHERE status = 'pending'");
        assertThat(pending).as("episodes not started at the signal stay pending").isPositive();
        assertThat(count("SELECT COUNT(*) FROM llm_call")).isEqualTo(startedAtSignal);
        // An episode takes over a second here: had episodes kept starting, several would start after the stop.
        Instant stopLogged = logTime(log, "Shutdown requested (SIGTERM)");
        assertThat(stopLogged).isAfterOrEqualTo(signalled.minusSeconds(1));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE started_at > ?", Integer.class,
                Timestamps.utc(stopLogged.plusMillis(500)))).as("episodes started after the stop request").isZero();

        resumeAndCheck(logs.resolve("second.log"));
        assertThat(jdbc.queryForList("SELECT status FROM batch_job_execution ORDER BY job_execution_id",
                String.class)).containsExactly("STOPPED", "COMPLETED");
        assertThat(count("SELECT COUNT(*) FROM conversation WHERE status = 'aborted'")).isZero();
    }

    @Test
    void episodesStillRunningAfterTheGracePeriodAreAbortedWithTheirCostKeptAndRunAgainOnResume() throws Exception {
        llm.latency(Duration.ofMillis(1500));
        Path log = logs.resolve("first.log");
        Process first = start(log, "1s");
        waitFor(first, log, "SELECT COUNT(*) FROM llm_call", 4);

        first.destroy(); // SIGTERM
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as(CollectProcess.tail(log)).isTrue();

        assertThat(first.exitValue()).as(CollectProcess.tail(log)).isEqualTo(143);
        assertThat(Files.readString(log)).contains("after the 1s grace period and were abandoned");
        assertThat(jdbc.queryForObject("SELECT status FROM batch_job_execution", String.class)).isEqualTo("STOPPED");
        assertThat(count("SELECT COUNT(*) FROM episode WHERE status = 'running'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM conversation WHERE status = 'running'")).isZero();
        List<String> aborted = jdbc.queryForList(
                "SELECT CAST(id AS VARCHAR(36)) FROM conversation WHERE status = 'aborted' ORDER BY 1", String.class);
        assertThat(aborted).as("the episodes cut off by the grace period").isNotEmpty();
        int abortedCalls = count("""
                SELECT COUNT(*) FROM llm_call c JOIN conversation v ON v.id = c.conversation_id
                WHERE v.status = 'aborted'""");
        assertThat(abortedCalls).as("the aborted attempts' LLM calls are kept").isPositive();
        BigDecimal abortedCost = jdbc.queryForObject("""
                SELECT SUM(c.cost_usd) FROM llm_call c JOIN conversation v ON v.id = c.conversation_id
                WHERE v.status = 'aborted'""", BigDecimal.class);
        assertThat(abortedCost).isEqualByComparingTo(new BigDecimal("0.0035").multiply(BigDecimal.valueOf(abortedCalls)));

        llm.latency(Duration.ZERO);
        resumeAndCheck(logs.resolve("second.log"));
        assertThat(jdbc.queryForList(
                "SELECT CAST(id AS VARCHAR(36)) FROM conversation WHERE status = 'aborted' ORDER BY 1", String.class))
            .as("aborted attempts stay aborted; their episodes ran again").isEqualTo(aborted);
        assertThat(count("""
                SELECT COUNT(*) FROM llm_call c JOIN conversation v ON v.id = c.conversation_id
                WHERE v.status = 'aborted'""")).isEqualTo(abortedCalls);
    }

    /** The time stamp (UTC, at the start of the line) of the first log line containing the text. */
    private static Instant logTime(Path log, String text) throws java.io.IOException {
        String line = Files.readAllLines(log).stream().filter(l -> l.contains(text)).findFirst()
            .orElseThrow(() -> new AssertionError("no log line with '" + text + "': " + CollectProcess.tail(log)));
        return java.time.OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant();
    }

    private void resumeAndCheck(Path log) throws Exception {
        Process second = start(log, "30s");
        assertThat(second.waitFor(5, TimeUnit.MINUTES)).as(CollectProcess.tail(log)).isTrue();
        assertThat(second.exitValue()).as(CollectProcess.tail(log)).isZero();
        long runId = jdbc.queryForObject("SELECT id FROM run", Long.class);
        assertThat(count("SELECT COUNT(*) FROM episode")).isEqualTo(8 * 4);
        RunInvariants.assertFinishedExactlyOnce(jdbc, runId);
        assertThat(jdbc.queryForObject("SELECT status FROM run", String.class)).isEqualTo("completed");
        assertThat(count("SELECT COUNT(*) FROM batch_job_instance")).isOne();
    }

    private Process start(Path log, String gracePeriod) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("problems=jobs/smoke.csv", "runDate=2026-11-26",
                "samples=4", "concurrency=4", "maxSteps=" + MAX_STEPS, "policy=openai", "model=gpt-4o",
                "--rollout.openai.base-url=" + llm.baseUrl(), "--rollout.shutdown.grace-period=" + gracePeriod));
        return CollectProcess.start(environment, log, Map.of("OPENAI_API_KEY", "sk-sigterm-test"),
                arguments.toArray(String[]::new));
    }

    private void waitForCompletedEpisodes(Process process, Path log, int episodes) throws InterruptedException {
        waitFor(process, log, "SELECT COUNT(*) FROM episode WHERE status = 'completed'", episodes);
    }

    private void waitFor(Process process, Path log, String countQuery, int atLeast) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as("the run ended before the signal: " + CollectProcess.tail(log)).isTrue();
            if (count(countQuery) >= atLeast) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no progress within 2 minutes: " + CollectProcess.tail(log));
    }

    private int count(String sql) {
        Integer n = jdbc.queryForObject(sql, Integer.class);
        return n == null ? 0 : n;
    }
}
