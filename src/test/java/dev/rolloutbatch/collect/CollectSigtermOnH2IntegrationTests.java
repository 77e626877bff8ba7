package dev.rolloutbatch.collect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a collect run on the embedded H2 default, as a first-time user runs it: the database must outlive the
 * graceful stop. H2 closes a database at JVM exit on its own unless told not to, and then the stopping job found
 * its connections gone: the run failed with stack traces and "unknown state" instead of stopping.
 */
class CollectSigtermOnH2IntegrationTests {

    static final OpenAiProtocolFixture llm = OpenAiProtocolFixture.start();

    @TempDir
    Path work;

    @AfterAll
    static void stopFixture() {
        llm.close();
    }

    @Test
    void theRunStopsGracefullyAndTheSameCommandFinishesIt() throws Exception {
        llm.reset()
            .recordRequests(false)
            .fallback(Reply.content("```\nexec_shell(\"kubectl get pods -A\")\n```").withUsage(1000, 0, 100, 0))
            .latency(Duration.ofMillis(250));
        Path problems = Path.of("jobs", "smoke.csv").toAbsolutePath();
        String[] command = { "problems=" + problems, "runDate=2026-02-02", "samples=4", "maxSteps=4",
                "policy=openai", "model=gpt-4o", "concurrency=8" };
        Map<String, String> llmVariables = Map.of("OPENAI_BASE_URL", llm.baseUrl(), "OPENAI_API_KEY", "sk-test");
        Path log = work.resolve("first.log");

        Process first = CollectProcess.startOnDefaultDatabase(work, log, llmVariables, command);
        Instant deadline = Instant.now().plusSeconds(120);
        while (llm.requestCount() < 20 && first.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(first.isAlive()).as(CollectProcess.tail(log)).isTrue();
        first.destroy(); // SIGTERM
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as(CollectProcess.tail(log)).isTrue();

        String text = Files.readString(log);
        assertThat(first.exitValue()).as(CollectProcess.tail(log)).isEqualTo(143);
        assertThat(text).contains("Shutdown requested (SIGTERM)")
            .contains("job stopped on request")
            .doesNotContain("unknown state")
            .doesNotContain("Could not open JDBC Connection");
        assertThat(work.resolve("data/rollout-batch.mv.db")).exists();

        Path second = work.resolve("second.log");
        Process resumed = CollectProcess.startOnDefaultDatabase(work, second, llmVariables, command);
        assertThat(resumed.waitFor(3, TimeUnit.MINUTES)).as(CollectProcess.tail(second)).isTrue();
        assertThat(resumed.exitValue()).as(CollectProcess.tail(second)).isZero();
        assertThat(Files.readString(second)).contains("32/32 episodes done");
    }

    /**
     * Episodes of the scripted policy end within milliseconds: the dispatcher, which asks before each episode
     * starts, stops and runs dry before the step looks again. The run must still end stopped, not be reported as
     * failed with its episodes "not run".
     */
    @Test
    void aRunWhoseEpisodesEndAtOnceStopsRatherThanFails() throws Exception {
        String[] command = { "problems=" + Path.of("jobs", "smoke.csv").toAbsolutePath(), "runDate=2026-02-03",
                "samples=200", "policy=scripted" };
        Path log = work.resolve("scripted.log");
        Process run = CollectProcess.startOnDefaultDatabase(work, log, Map.of(), command);
        Instant deadline = Instant.now().plusSeconds(120);
        while (!Files.readString(log).contains("episodes to run") && run.isAlive()
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        assertThat(run.isAlive()).as(CollectProcess.tail(log)).isTrue();
        run.destroy(); // SIGTERM
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as(CollectProcess.tail(log)).isTrue();

        assertThat(run.exitValue()).as(CollectProcess.tail(log)).isEqualTo(143);
        assertThat(Files.readString(log)).as(CollectProcess.tail(log)).contains("job stopped on request")
            .doesNotContain("INFRASTRUCTURE_FAILED")
            .doesNotContain("were not run");
    }
}
