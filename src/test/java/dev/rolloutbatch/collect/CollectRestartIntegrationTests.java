package dev.rolloutbatch.collect;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a collect run in a separate JVM with SIGKILL partway and runs the same command again: the run resumes,
 * completed episodes are kept, interrupted ones run again, and every planned episode ends with exactly one
 * completed conversation (partial attempts stay, marked aborted).
 */
@SpringBootTest
@ActiveProfiles("pgtest")
class CollectRestartIntegrationTests {

    static final int SAMPLES = 12;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private Environment environment;

    @TempDir
    Path logs;

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
    }

    @Test
    void aRunKilledWithSigkillResumesAndEndsExactlyOnce() throws Exception {
        Process first = CollectProcess.start(environment, logs.resolve("first.log"), "problems=jobs/nightly.csv",
                "runDate=2026-11-20", "samples=" + SAMPLES, "concurrency=8");
        long doneBeforeKill = waitUntilSomeEpisodesEnd(first, 60);
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        long runId = jdbc.queryForObject("SELECT id FROM run", Long.class);
        int planned = jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE run_id = ?", Integer.class, runId);
        int finishedAtKill = jdbc.queryForObject(
                "SELECT COUNT(*) FROM episode WHERE run_id = ? AND status = 'completed'", Integer.class, runId);
        assertThat(planned).isEqualTo(89 * SAMPLES);
        assertThat(finishedAtKill).isGreaterThanOrEqualTo((int) doneBeforeKill).isLessThan(planned);
        // An episode whose result was recorded before the kill keeps its conversation; one that was still
        // running (even with its conversation closed) is run again.
        List<String> completedBefore = jdbc.queryForList("""
                SELECT CAST(c.id AS VARCHAR(36)) FROM conversation c JOIN episode e ON e.id = c.episode_id
                WHERE c.status = 'completed' AND e.status = 'completed' ORDER BY 1""", String.class);
        assertThat(completedBefore).hasSize(finishedAtKill);

        Process second = CollectProcess.start(environment, logs.resolve("second.log"), "problems=jobs/nightly.csv",
                "runDate=2026-11-20", "samples=" + SAMPLES, "concurrency=8");
        assertThat(second.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(second.exitValue()).as(CollectProcess.tail(logs.resolve("second.log"))).isZero();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM run", Integer.class)).isOne();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode", Integer.class)).isEqualTo(planned);
        RunInvariants.assertFinishedExactlyOnce(jdbc, runId);
        assertThat(jdbc.queryForList(
                "SELECT CAST(c.id AS VARCHAR(36)) FROM conversation c WHERE c.status = 'completed' ORDER BY 1", String.class))
            .as("conversations completed before the kill are kept").containsAll(completedBefore);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM conversation WHERE status = 'running'", Integer.class))
            .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM batch_job_instance", Integer.class)).isOne();
        assertThat(jdbc.queryForList("SELECT status FROM batch_job_execution ORDER BY job_execution_id",
                String.class)).containsExactly("FAILED", "COMPLETED");
    }

    private long waitUntilSomeEpisodesEnd(Process process, int episodes) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as("the first run ended before it could be killed").isTrue();
            Long done = jdbc.queryForObject("""
                    SELECT COUNT(*) FROM episode WHERE status = 'completed'""", Long.class);
            if (done != null && done >= episodes) {
                return done;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no progress within 2 minutes");
    }
}
