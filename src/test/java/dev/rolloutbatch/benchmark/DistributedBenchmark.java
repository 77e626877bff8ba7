package dev.rolloutbatch.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution benchmark (not part of the test suite: its name matches none of surefire's includes): the same
 * distributed collect run with 1, 2 and 3 worker JVMs against the OpenAI-protocol fixture at a fixed latency, on the
 * machine's RabbitMQ (127.0.0.1:5672) and the test PostgreSQL database. Run it with
 * {@code ./mvnw -B test -Dtest=DistributedBenchmark}; it prints a table and writes
 * {@code target/benchmark/distributed.md}. Settings, as {@code -D} options: {@code bench.workers} (1,2,3),
 * {@code bench.episodes} (96), {@code bench.steps} (5), {@code bench.latencyMs} (500), {@code bench.concurrency}
 * (8: episodes at once in each worker's partition), {@code bench.partitions} (12).
 * <p>
 * Each worker runs one partition at a time, {@code concurrency} episodes at once, so W workers have W x C calls in
 * flight: the ideal time is episodes x steps x latency / (W x C). The wall time is the manager's execute step
 * (partitioning, sending, every partition, polling), with the workers already up; efficiency is ideal / wall.
 */
@SpringBootTest
@ActiveProfiles("pgtest")
class DistributedBenchmark {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    @Autowired
    ProblemCatalog catalog;

    @Test
    void wallTimeAndEfficiencyPerWorkerCount() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "benchmark"));
        int episodes = Integer.getInteger("bench.episodes", 96);
        int steps = Integer.getInteger("bench.steps", 5);
        Duration latency = Duration.ofMillis(Long.getLong("bench.latencyMs", 500));
        int concurrency = Integer.getInteger("bench.concurrency", 8);
        int partitions = Integer.getInteger("bench.partitions", 12);
        int problems = Math.min(24, episodes);
        int samples = episodes / problems;
        StringBuilder csv = new StringBuilder("problem_id,samples\n");
        catalog.problems().stream()
            .sorted(java.util.Comparator.comparing(Problem::id))
            .limit(problems)
            .forEach(p -> csv.append(p.id()).append(',').append(samples).append('\n'));
        Path list = Files.writeString(dir.resolve("distributed-bench.csv"), csv);
        String queue = "rollout-bench.partitions." + UUID.randomUUID();

        List<Row> rows = new ArrayList<>();
        try (OpenAiProtocolFixture llm = OpenAiProtocolFixture.start()) {
            llm.latency(latency).recordRequests(false).responder(request -> CollectRun.reply(request, steps));
            for (int workers : workerCounts()) {
                rows.add(measure(dir, list, queue, llm, workers, problems * samples, steps, latency, concurrency,
                        partitions));
                System.out.println(rows.getLast().format(rows.getFirst()));
            }
        }
        finally {
            deleteQueue(queue);
        }
        String table = String.format(Locale.ROOT,
                "Distributed collect (Java %s, %d cores, load average %s): %d episodes x %d steps, latency %d ms,"
                        + " %d partitions, %d episodes at once per worker%n",
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), loadAverage(),
                problems * samples, steps, latency.toMillis(), partitions, concurrency)
                + "| workers | ideal s | wall s | efficiency | speed-up over 1 worker | LLM calls/s |\n"
                + "|---:|---:|---:|---:|---:|---:|\n"
                + String.join("\n", rows.stream().map(row -> row.format(rows.getFirst())).toList()) + "\n";
        Files.writeString(dir.resolve("distributed.md"), table);
        System.out.println("\n" + table);
    }

    /** One worker count's figures; the speed-up is over the first row (one worker). */
    record Row(int workers, double idealSeconds, double wallSeconds, long calls) {

        String format(Row first) {
            return String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.2f | %.2f | %.1f |", workers, idealSeconds,
                    wallSeconds, idealSeconds / wallSeconds, first.wallSeconds / wallSeconds, calls / wallSeconds);
        }
    }

    private Row measure(Path dir, Path list, String queue, OpenAiProtocolFixture llm, int workerCount,
            int episodes, int steps, Duration latency, int concurrency, int partitions) throws Exception {
        DatabaseCleaner.truncate(jdbc);
        List<Process> workers = new ArrayList<>();
        try {
            List<Path> workerLogs = new ArrayList<>();
            for (int i = 1; i <= workerCount; i++) {
                Path log = dir.resolve("distributed-worker-" + workerCount + "-" + i + ".log");
                Files.deleteIfExists(log);
                workers.add(start(log, llm, "--spring.profiles.active=pgtest,worker",
                        "--rollout.distribution.requests-queue=" + queue));
                workerLogs.add(log);
            }
            for (int i = 0; i < workerCount; i++) {
                awaitStarted(workers.get(i), workerLogs.get(i));
            }
            Path log = dir.resolve("distributed-manager-" + workerCount + ".log");
            Files.deleteIfExists(log);
            Process manager = start(log, llm, "--spring.profiles.active=pgtest", "--rollout.launcher.enabled=true",
                    "--rollout.distribution.enabled=true", "--rollout.distribution.partitions=" + partitions,
                    "--rollout.distribution.poll-interval=200ms", "--rollout.distribution.requests-queue=" + queue,
                    "problems=" + list, "runDate=2026-01-0" + workerCount, "samples=1", "concurrency=" + concurrency,
                    "maxSteps=" + steps, "policy=openai", "model=gpt-4o-mini");
            assertThat(manager.waitFor(15, TimeUnit.MINUTES)).as("manager ended; log: " + log).isTrue();
            assertThat(manager.exitValue()).as("manager exit code; log: " + log).isZero();
        }
        finally {
            for (Process worker : workers) {
                worker.destroy();
            }
            for (Process worker : workers) {
                if (!worker.waitFor(60, TimeUnit.SECONDS)) {
                    worker.destroyForcibly();
                }
            }
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE status = 'completed'", Integer.class))
            .as("completed episodes").isEqualTo(episodes);
        long calls = jdbc.queryForObject("SELECT COUNT(*) FROM llm_call WHERE error IS NULL", Long.class);
        assertThat(calls).as("one call per step").isEqualTo((long) episodes * steps);
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT worker_id) FROM episode", Integer.class))
            .as("every worker ran episodes").isEqualTo(workerCount);
        Map<String, Object> step = jdbc.queryForMap(
                "SELECT start_time, end_time FROM batch_step_execution WHERE step_name = 'execute'");
        double wall = Duration.between(((Timestamp) step.get("start_time")).toInstant(),
                ((Timestamp) step.get("end_time")).toInstant()).toNanos() / 1e9;
        double ideal = (double) episodes * steps * latency.toMillis() / 1000.0 / (workerCount * concurrency);
        return new Row(workerCount, ideal, wall, calls);
    }

    private Process start(Path log, OpenAiProtocolFixture llm, String... arguments) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "dev.rolloutbatch.RolloutBatchApplication",
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--rollout.collect.progress-interval=5s", "--rollout.openai.base-url=" + llm.baseUrl()));
        command.addAll(Arrays.asList(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_"));
        builder.environment().put("OPENAI_API_KEY", "sk-bench-not-a-real-key");
        return builder.start();
    }

    private static void awaitStarted(Process process, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as("the worker died; log: " + log).isTrue();
            if (Files.exists(log) && Files.readString(log).contains("Started RolloutBatchApplication")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the worker did not start; log: " + log);
    }

    private static int[] workerCounts() {
        return Arrays.stream(System.getProperty("bench.workers", "1,2,3").split(","))
            .map(String::trim)
            .mapToInt(Integer::parseInt)
            .toArray();
    }

    private static void deleteQueue(String queue) {
        CachingConnectionFactory broker = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            new RabbitAdmin(broker).deleteQueue(queue);
        }
        finally {
            broker.destroy();
        }
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        }
        catch (java.io.IOException | RuntimeException ex) {
            return "unknown";
        }
    }
}
