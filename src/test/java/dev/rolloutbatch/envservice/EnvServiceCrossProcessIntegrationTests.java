package dev.rolloutbatch.envservice;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.rolloutbatch.DatabaseCleaner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code http} environment against the environment service in a second JVM, over real HTTP: a collect run
 * with {@code environment=http} gives the same transcripts and grades as {@code environment=simulated} for the
 * same seeds, and the service logs each of its sessions as a graded episode of its own.
 */
@SpringBatchTest
@SpringBootTest
@ActiveProfiles("pgtest")
class EnvServiceCrossProcessIntegrationTests {

    static final int PORT = freePort();
    static final int SAMPLES = 2;
    static final String TOKEN = "cross-process-token";
    private static Process service;
    private static Path serviceLog;

    @DynamicPropertySource
    static void remoteEnvironment(DynamicPropertyRegistry registry) {
        registry.add("rollout.environment.http.base-url", () -> "http://127.0.0.1:" + PORT);
        registry.add("rollout.environment.http.retries", () -> "5");
        registry.add("rollout.environment.http.token", () -> TOKEN);
    }

    @Autowired
    private JobOperatorTestUtils jobs;

    @Autowired
    @Qualifier("collectJob")
    private Job collectJob;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private Environment environment;

    @BeforeEach
    void startService() throws Exception {
        DatabaseCleaner.clean(jdbc);
        jobs.setJob(collectJob);
        if (service == null) {
            serviceLog = Files.createTempFile("envservice-", ".log");
            service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "dev.rolloutbatch.RolloutBatchApplication", "--spring.profiles.active=pgtest,serve",
                    "--server.port=" + PORT, "--rollout.api.workers=0", "--rollout.api.token=" + TOKEN,
                    "--spring.datasource.hikari.maximum-pool-size=6",
                    "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"))
                .redirectErrorStream(true).redirectOutput(serviceLog.toFile()).start();
            ServiceHttp http = new ServiceHttp("http://127.0.0.1:" + PORT, null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!healthy(http)) {
                assertThat(service.isAlive()).as("service died:\n" + tail()).isTrue();
                assertThat(System.nanoTime()).as("service not up in 120 s:\n" + tail()).isLessThan(deadline);
                Thread.sleep(250);
            }
        }
    }

    @AfterAll
    static void stopService() throws InterruptedException {
        if (service != null) {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void httpEnvironmentAgainstTheServiceInAnotherJvmGivesTheSimulatedTranscriptsAndGrades() throws Exception {
        long remoteRun = collect("http", LocalDate.of(2026, 11, 1));
        long localRun = collect("simulated", LocalDate.of(2026, 11, 2));

        Map<String, String> remote = transcripts(remoteRun);
        Map<String, String> local = transcripts(localRun);
        int planned = (int) Files.readAllLines(Path.of("jobs/smoke.csv")).stream().skip(1)
            .filter(l -> !l.isBlank()).count() * SAMPLES;
        assertThat(remote).hasSize(planned);
        assertThat(remote.keySet()).isEqualTo(local.keySet());
        Iterator<String> keys = local.keySet().iterator();
        while (keys.hasNext()) {
            String key = keys.next();
            assertThat(remote.get(key)).as(key).isEqualTo(local.get(key));
        }
        // The comparison sees the seed: the two samples of a problem (two seeds) differ in their observations.
        assertThat(local.keySet().stream().filter(k -> k.endsWith("#0"))
            .filter(k -> !stripSeed(local.get(k)).equals(stripSeed(local.get(k.replace("#0", "#1"))))).count())
            .isPositive();

        // The service logged one graded session per remote episode, with the same seed and grade.
        List<Map<String, Object>> sessions = jdbc.queryForList("""
                SELECT s.status, s.success AS session_success, e.success AS episode_success, s.reward AS session_reward,
                    e.reward AS episode_reward, s.evaluation
                FROM episode s JOIN episode e ON e.run_id = ? AND e.problem_id = s.problem_id AND e.seed = s.seed
                WHERE s.source = 'session'""", remoteRun);
        assertThat(sessions).hasSize(planned).allSatisfy(row -> {
            assertThat(row.get("status")).isEqualTo("completed");
            assertThat(row.get("session_success")).isEqualTo(row.get("episode_success"));
            assertThat(row.get("session_reward")).isEqualTo(row.get("episode_reward"));
            assertThat(ServiceHttp.JSON.readTree((String) row.get("evaluation")).get("aiopslab").isObject()).isTrue();
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM conversation c JOIN episode s ON s.id = c.episode_id"
                + " WHERE s.source = 'session' AND c.status = 'completed'", Integer.class)).isEqualTo(planned);
    }

    private long collect(String environmentName, LocalDate runDate) throws Exception {
        JobExecution execution = jobs.startJob(new JobParametersBuilder().addString("problems", "jobs/smoke.csv")
            .addLocalDate("runDate", runDate).addString("samples", String.valueOf(SAMPLES), false)
            .addString("concurrency", "4", false).addString("seed", "7", false)
            .addString("environment", environmentName, false).toJobParameters());
        assertThat(execution.getStatus()).as(environmentName + ":\n" + tail()).isEqualTo(BatchStatus.COMPLETED);
        long runId = jdbc.queryForObject("SELECT id FROM run WHERE run_date = ?", Long.class, runDate);
        assertThat(jdbc.queryForList("SELECT DISTINCT status FROM episode WHERE run_id = ?", String.class, runId))
            .containsExactly("completed");
        return runId;
    }

    /**
     * Per (problem, sample): seed, grade, evaluation (without the wall-clock time-to-submit fields) and every
     * message of the completed conversation.
     */
    private Map<String, String> transcripts(long runId) {
        Map<String, String> byKey = new TreeMap<>();
        for (Map<String, Object> e : jdbc.queryForList("""
                SELECT e.id, e.problem_id, e.sample_index, e.seed, e.success, e.reward, e.steps_taken, e.solution,
                    e.evaluation FROM episode e WHERE e.run_id = ?""", runId)) {
            StringBuilder t = new StringBuilder();
            t.append("seed=").append(e.get("seed")).append(" success=").append(e.get("success")).append(" reward=")
                .append(e.get("reward")).append(" steps=").append(e.get("steps_taken")).append(" solution=")
                .append(e.get("solution")).append('\n').append(withoutTimes((String) e.get("evaluation")))
                .append('\n');
            List<Map<String, Object>> messages = jdbc.queryForList("""
                    SELECT m.role, m.content, m.tool_calls, m.step FROM message m JOIN conversation c
                        ON c.id = m.conversation_id AND c.status = 'completed'
                    WHERE c.episode_id = ? ORDER BY m.seq""", e.get("id"));
            assertThat(messages).as("messages of episode " + e.get("id")).isNotEmpty();
            for (Map<String, Object> m : messages) {
                t.append("--- ").append(m.get("role")).append(" step ").append(m.get("step")).append('\n')
                    .append(m.get("content")).append('\n');
                if (m.get("tool_calls") != null) {
                    t.append(m.get("tool_calls")).append('\n');
                }
            }
            byKey.put(e.get("problem_id") + "#" + e.get("sample_index"), t.toString());
        }
        return byKey;
    }

    private static String stripSeed(String transcript) {
        return transcript.substring(transcript.indexOf(' '));
    }

    /** TTD/TTL/TTA/TTM are seconds of wall-clock time to submit: they differ between any two runs. */
    private static String withoutTimes(String evaluation) {
        JsonNode node = ServiceHttp.JSON.readTree(evaluation);
        removeTimes(node);
        return node.toString();
    }

    private static void removeTimes(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> times = new ArrayList<>();
            object.propertyNames().forEach(name -> {
                if (name.matches("TT[DLAM]")) {
                    times.add(name);
                }
            });
            times.forEach(object::remove);
            object.values().forEach(EnvServiceCrossProcessIntegrationTests::removeTimes);
        }
    }

    private static boolean healthy(ServiceHttp http) {
        try {
            return http.get("/health").status() == 200;
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    private static String tail() {
        try {
            List<String> lines = Files.readAllLines(serviceLog);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
        catch (IOException | RuntimeException ex) {
            return "(no service log)";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
