package dev.rolloutbatch.collect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.PrivatePostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults a collect run must survive without losing or doubling anything: SIGKILL of the JVM at random moments,
 * again and again, and PostgreSQL restarted under a running job. Each ends by running the same command to
 * completion and checking the run's invariants.
 * <p>
 * The class runs against a PostgreSQL server of its own ({@link PrivatePostgres}, started on a free port for
 * the class and stopped after it): restarting it disturbs no one else's database.
 * <p>
 * CI kills 5 times; {@code -Drollout.faults.kills=20} is the longer version (see the README).
 */
@SpringBootTest
@ActiveProfiles("pgtest")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CollectFaultIntegrationTests {

    private static PrivatePostgres postgres;

    private static final String[] NIGHT = { "problems=jobs/nightly.csv", "runDate=2026-11-21", "samples=30",
            "concurrency=16" };

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private Environment environment;

    @TempDir
    Path logs;

    @DynamicPropertySource
    static void privateDatabase(DynamicPropertyRegistry registry) throws Exception {
        if (postgres == null) {
            postgres = PrivatePostgres.start();
        }
        registry.add("spring.datasource.url", () -> postgres.jdbcUrl() + "?reWriteBatchedInserts=true");
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
    }

    @Test
    void sigkillAtRandomMomentsThenTheSameCommandFinishesTheRunExactlyOnce() throws Exception {
        int kills = Integer.getInteger("rollout.faults.kills", 5);
        Random random = new Random(Long.getLong("rollout.faults.seed", 20261125L));
        Path log = logs.resolve("collect.log");
        int killed = 0;
        for (int i = 0; i < kills; i++) {
            Process process = CollectProcess.start(environment, log, NIGHT);
            // Anywhere from JVM start-up and planning to deep into the run.
            long delay = 500 + random.nextInt(9_000);
            if (process.waitFor(delay, TimeUnit.MILLISECONDS)) {
                assertThat(process.exitValue()).as(CollectProcess.tail(log)).isIn(0, 3);
                break;
            }
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            killed++;
        }
        Process last = CollectProcess.start(environment, log, NIGHT);
        assertThat(last.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(last.exitValue()).as(CollectProcess.tail(log)).isIn(0, 3);

        assertThat(killed).as("kills that hit a live run").isPositive();
        long runId = jdbc.queryForObject("SELECT id FROM run", Long.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE run_id = ?", Integer.class, runId))
            .isEqualTo(89 * 30);
        RunInvariants.assertFinishedExactlyOnce(jdbc, runId);
        assertThat(jdbc.queryForObject("SELECT status FROM run", String.class)).isEqualTo("completed");
    }

    @Test
    void postgresRestartedDuringARunFailsCleanlyOrRidesItOutAndTheSameCommandCompletesIt() throws Exception {
        Path log = logs.resolve("collect.log");
        Process process = CollectProcess.start(environment, log, NIGHT);
        long deadline = System.currentTimeMillis() + 120_000;
        while (jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE status = 'completed'", Integer.class) < 100) {
            assertThat(process.isAlive()).as(CollectProcess.tail(log)).isTrue();
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(20);
        }
        postgres.restart();

        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        int first = process.exitValue();
        assertThat(first).as("completed, or failed with a non-zero exit").isIn(0, 1);
        if (first != 0) {
            assertThat(Files.readString(log)).contains("Run the same command again to resume it");
            Process again = CollectProcess.start(environment, log, NIGHT);
            assertThat(again.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(again.exitValue()).as(CollectProcess.tail(log)).isZero();
        }
        long runId = waitForDatabase(() -> jdbc.queryForObject("SELECT id FROM run", Long.class));
        RunInvariants.assertFinishedExactlyOnce(jdbc, runId);
    }

    private static <T> T waitForDatabase(java.util.function.Supplier<T> query) throws InterruptedException {
        RuntimeException last = null;
        for (int i = 0; i < 60; i++) {
            try {
                return query.get();
            }
            catch (RuntimeException ex) {
                last = ex;
                Thread.sleep(500);
            }
        }
        throw last;
    }
}
