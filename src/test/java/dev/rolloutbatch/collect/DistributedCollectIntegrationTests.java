package dev.rolloutbatch.collect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A distributed collect run on the machine's RabbitMQ (127.0.0.1:5672, guest/guest) and the test PostgreSQL
 * database: a manager JVM and two worker JVMs, each started from the test class path, with the openai policy
 * talking to a local OpenAI-compatible fixture. The run completes with every episode completed exactly once and
 * work done by both workers; a worker SIGKILLed mid-partition leaves its request unacknowledged, RabbitMQ hands it
 * to another worker, whose partition run aborts the dead worker's attempts (their LLM calls and cost kept) and runs
 * them again, and the run still ends exactly once.
 */
@SpringBootTest
@ActiveProfiles("pgtest")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedCollectIntegrationTests {

    static final OpenAiProtocolFixture llm = OpenAiProtocolFixture.start();

    /** Every answer is one more look at the cluster: an episode makes maxSteps calls and ends without a submission. */
    static final int MAX_STEPS = 4;

    static final int EPISODES = 8 * 4;

    /** A queue of this test class alone, so that no other run's workers take its partitions. */
    private final String queue = "rollout-test.partitions." + UUID.randomUUID();

    private final List<Process> workers = new ArrayList<>();

    private final List<Path> workerLogs = new ArrayList<>();

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private Environment environment;

    private Path logs;

    @BeforeAll
    void startWorkers() throws Exception {
        logs = Files.createTempDirectory("distributed-collect");
        startWorker();
        startWorker();
        for (int i = 0; i < workers.size(); i++) {
            awaitStarted(workers.get(i), workerLogs.get(i));
        }
    }

    @AfterAll
    void stopWorkers() throws InterruptedException {
        for (Process worker : workers) {
            worker.destroy();
        }
        for (Process worker : workers) {
            worker.waitFor(60, TimeUnit.SECONDS);
            worker.destroyForcibly();
        }
        llm.close();
        CachingConnectionFactory broker = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            new RabbitAdmin(broker).deleteQueue(queue);
        }
        finally {
            broker.destroy();
        }
    }

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
        llm.reset()
            .recordRequests(false)
            .latency(Duration.ofMillis(200))
            .fallback(Reply.content("```\nexec_shell(\"kubectl get pods -A\")\n```").withUsage(1000, 0, 100, 0));
    }

    @Test
    void aManagerAndTwoWorkersRunANightlyToCompletionExactlyOnce() throws Exception {
        Path log = logs.resolve("manager-complete.log");
        Process manager = startManager(log, "2026-11-27");

        assertManagerCompletedTheRunExactlyOnce(manager, log);
        assertThat(count("SELECT COUNT(DISTINCT worker_id) FROM episode")).as("episodes run by both workers")
            .isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT DISTINCT worker_id FROM episode", String.class))
            .as("no episode ran in the manager")
            .allMatch(worker -> workers.stream().anyMatch(p -> worker.endsWith("-" + p.pid())));
        assertThat(jdbc.queryForList("""
                SELECT status FROM batch_step_execution WHERE step_name LIKE 'executePartition:%'""", String.class))
            .hasSize(8)
            .containsOnly("COMPLETED");
        assertThat(jdbc.queryForObject("SELECT status FROM batch_step_execution WHERE step_name = 'execute'",
                String.class)).isEqualTo("COMPLETED");
        assertThat(Files.readString(log)).contains("sending them to the workers in up to 8 partitions")
            .contains("progress: 32/32 episodes done");
    }

    @Test
    void aWorkerKilledMidPartitionLeavesItsEpisodesToAnotherWorkerAndTheRunEndsExactlyOnce() throws Exception {
        llm.latency(Duration.ofMillis(600));
        Path log = logs.resolve("manager-kill.log");
        Process manager = startManager(log, "2026-11-28");

        Process victim = awaitWorkerWithRunningEpisodes(manager, log);
        long victimPid = victim.pid();
        victim.destroyForcibly(); // SIGKILL: no shutdown hook, no acknowledgement, no cleanup
        assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int index = workers.indexOf(victim);
        workers.remove(index);
        workerLogs.remove(index);
        Process restarted = startWorker();

        assertManagerCompletedTheRunExactlyOnce(manager, log);
        int aborted = count("SELECT COUNT(*) FROM conversation WHERE status = 'aborted'");
        assertThat(aborted).as("the killed worker's attempts are aborted").isPositive();
        assertThat(count("""
                SELECT COUNT(*) FROM llm_call c JOIN conversation v ON v.id = c.conversation_id
                WHERE v.status = 'aborted'""")).as("their LLM calls are kept").isPositive();
        assertThat(count("""
                SELECT COUNT(*) FROM conversation v JOIN episode e ON e.id = v.episode_id
                WHERE v.status = 'aborted' AND e.worker_id LIKE '%-""" + victimPid + "'"))
            .as("the episodes cut off by the kill were run to their end by another worker").isZero();
        assertThat(jdbc.queryForList("""
                SELECT status FROM batch_step_execution WHERE step_name LIKE 'executePartition:%'""", String.class))
            .as("the dead worker's partition was run again in the same step execution")
            .hasSize(8)
            .containsOnly("COMPLETED");
        assertThat(count("SELECT COUNT(*) FROM batch_job_execution")).as("one job execution: no restart needed")
            .isOne();
        String survivorsLogs = String.join("\n", workerLogs.stream().filter(Files::exists).map(path -> {
            try {
                return Files.readString(path);
            }
            catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }).toList());
        assertThat(survivorsLogs).as("the partition request was handed to a live worker")
            .contains("episodes interrupted by an earlier process will run again");
        awaitStarted(restarted, workerLogs.getLast());
    }

    private Process startManager(Path log, String runDate) throws Exception {
        return CollectProcess.start(environment, log, Map.of("OPENAI_API_KEY", "sk-distributed-test"),
                "problems=jobs/smoke.csv", "runDate=" + runDate, "samples=4", "concurrency=4",
                "maxSteps=" + MAX_STEPS, "policy=openai", "model=gpt-4o", "--rollout.distribution.enabled=true",
                "--rollout.distribution.partitions=8", "--rollout.distribution.poll-interval=200ms",
                "--rollout.distribution.timeout=5m", "--rollout.distribution.requests-queue=" + queue,
                "--rollout.openai.base-url=" + llm.baseUrl());
    }

    private Process startWorker() throws Exception {
        Path log = logs.resolve("worker-" + (workerLogs.size() + 1) + "-" + System.nanoTime() + ".log");
        Process worker = CollectProcess.startWorker(environment, log, Map.of("OPENAI_API_KEY", "sk-distributed-test"),
                "--rollout.distribution.requests-queue=" + queue, "--rollout.openai.base-url=" + llm.baseUrl(),
                "--rollout.shutdown.grace-period=2s");
        workers.add(worker);
        workerLogs.add(log);
        return worker;
    }

    private static void awaitStarted(Process worker, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            assertThat(worker.isAlive()).as("the worker died: " + CollectProcess.tail(log)).isTrue();
            if (Files.exists(log) && Files.readString(log).contains("Started RolloutBatchApplication")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the worker did not start: " + CollectProcess.tail(log));
    }

    /** A worker that is in the middle of a partition, once a few episodes of the run have completed. */
    private Process awaitWorkerWithRunningEpisodes(Process manager, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline)) {
            assertThat(manager.isAlive()).as("the run ended before a worker could be killed: "
                    + CollectProcess.tail(log)).isTrue();
            if (count("SELECT COUNT(*) FROM episode WHERE status = 'completed'") >= 4) {
                // A worker with an episode that has made its first call and has steps left, so that it is still
                // running when the kill lands (a worker near the end of its partition may have none by then).
                for (Process worker : workers) {
                    if (count("SELECT COUNT(*) FROM episode e WHERE e.status = 'running' AND e.worker_id LIKE '%-"
                            + worker.pid() + "' AND (SELECT COUNT(*) FROM llm_call c JOIN conversation v"
                            + " ON v.id = c.conversation_id WHERE v.episode_id = e.id) BETWEEN 1 AND "
                            + (MAX_STEPS - 2)) > 0) {
                        return worker;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no worker ran episodes: " + CollectProcess.tail(log));
    }

    /** The manager exits 0 and every planned episode of the run finished exactly once. */
    private void assertManagerCompletedTheRunExactlyOnce(Process manager, Path log) throws InterruptedException {
        assertThat(manager.waitFor(4, TimeUnit.MINUTES)).as(CollectProcess.tail(log)).isTrue();
        assertThat(manager.exitValue()).as(CollectProcess.tail(log)).isZero();
        long runId = jdbc.queryForObject("SELECT id FROM run", Long.class);
        assertThat(count("SELECT COUNT(*) FROM episode")).isEqualTo(EPISODES);
        RunInvariants.assertFinishedExactlyOnce(jdbc, runId);
        assertThat(jdbc.queryForObject("SELECT status FROM run", String.class)).isEqualTo("completed");
    }

    private int count(String sql) {
        Integer n = jdbc.queryForObject(sql, Integer.class);
        return n == null ? 0 : n;
    }
}
