package dev.rolloutbatch.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.RolloutBatchApplication;
import dev.rolloutbatch.conversation.ConversationLog;

/**
 * Memory and throughput benchmark of the export job (not a unit test). Seeds N trajectories (default 100,000;
 * 6 messages and 2 LLM calls each, token ids on every 10th) into the PostgreSQL database of the {@code pgtest}
 * profile with set-based SQL, empties it first, exports them and prints rows/s, MB/s, file size and peak heap.
 * Meant to run with {@code -Xmx256m}; see docs/readme-export.md for the command.
 * <p>
 * Arguments: {@code --rows=N}, {@code --format=trajectories|sft|verl}, {@code --output=DIR}, {@code --reuse}
 * (export what is already seeded), plus any Spring Boot property.
 */
public final class ExportBenchmark {

    static final LocalDate DAY = LocalDate.of(2030, 1, 1);

    private ExportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(option(args, "rows", "100000"));
        String format = option(args, "format", "trajectories");
        Path output = Path.of(option(args, "output", "target/export-benchmark")).toAbsolutePath();
        boolean reuse = Arrays.asList(args).contains("--reuse");
        SpringApplication application = new SpringApplication(RolloutBatchApplication.class);
        application.setAdditionalProfiles("pgtest");
        String[] springArgs = Stream.concat(Stream.of("--rollout.launcher.enabled=false",
                "--spring.batch.job.enabled=false", "--logging.level.root=WARN"),
                Arrays.stream(args).filter(a -> !a.startsWith("--rows=") && !a.startsWith("--format=")
                        && !a.startsWith("--output=") && !a.equals("--reuse"))).toArray(String[]::new);
        try (ConfigurableApplicationContext context = application.run(springArgs)) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            if (!reuse) {
                long t0 = System.nanoTime();
                DatabaseCleaner.truncate(jdbc);
                seed(jdbc, context.getBean(ConversationLog.class), rows);
                System.out.printf("seeded %,d trajectories in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
            }
            deleteRecursively(output);
            System.gc();
            HeapSampler heap = HeapSampler.start();
            long start = System.nanoTime();
            JobExecution execution = ExportTestSupport.export(context.getBean(JobOperator.class),
                    context.getBean(ExportJobConfiguration.JOB_NAME, Job.class), DAY, output, format, b -> {
                    });
            double seconds = (System.nanoTime() - start) / 1e9;
            heap.stop();
            if (execution.getStatus() != BatchStatus.COMPLETED) {
                throw new IllegalStateException("export ended " + execution.getStatus() + ": "
                        + execution.getAllFailureExceptions());
            }
            Path partition = output.resolve(format).resolve("data").resolve(DAY.toString());
            long bytes = size(partition);
            long exported = (Long) DuckDb.single("SELECT count(*) FROM " + DuckDb.parquet(partition));
            System.out.printf("exported %,d rows (%s) in %.2f s: %,.0f rows/s, %.1f MB/s of Parquet, %.1f MB on disk%n",
                    exported, format, seconds, exported / seconds, bytes / 1e6 / seconds, bytes / 1e6);
            System.out.printf("heap: max %d MB, peak used (sampled every 5 ms) %d MB, sum of pool peaks %d MB%n",
                    Runtime.getRuntime().maxMemory() >> 20, heap.peakSampled() >> 20, heap.peakPools() >> 20);
        }
    }

    /** Set-based seeding: one run, N episodes, N conversations, 6N messages, 2N LLM calls. */
    static void seed(JdbcTemplate jdbc, ConversationLog log, int n) {
        long runId = new ConversationFixtures(jdbc, log).run(DAY, "gpt-4o");
        jdbc.update("""
                INSERT INTO episode (run_id, source, problem_id, task_type, application, sample_index, group_id, seed,
                    status, attempt, policy, environment, model, max_steps, timeout_seconds, parameters, created_at,
                    started_at, ended_at, success, reward, evaluation)
                SELECT ?, 'job', p.id, p.task, 'SocialNetwork', g / 4, 'run-' || ? || ':' || p.id, g, 'completed', 1,
                    'openai', 'simulated', 'gpt-4o', 10, 600, '{}', now(), now(), now(), g % 3 <> 0,
                    CASE WHEN g % 3 <> 0 THEN 1.0 ELSE 0.0 END, '{"Detection Accuracy":"Correct"}'
                FROM generate_series(0, ? - 1) g
                JOIN (VALUES (0, 'k8s_target_port-misconfig-detection-1', 'detection'),
                             (1, 'k8s_target_port-misconfig-localization-1', 'localization'),
                             (2, 'k8s_target_port-misconfig-analysis-1', 'analysis'),
                             (3, 'k8s_target_port-misconfig-mitigation-1', 'mitigation')) p(k, id, task) ON p.k = g % 4""",
                runId, runId, n);
        jdbc.update("""
                INSERT INTO conversation (id, episode_id, attempt, status, policy, model, protocol, sampling, tools,
                    started_at, ended_at)
                SELECT gen_random_uuid(), e.id, 1, 'completed', 'openai', 'gpt-4o', 'tools',
                    '{"temperature":0.7,"top_p":0.95,"max_tokens":1024,"seed":42}', ?, now(), now()
                FROM episode e WHERE e.run_id = ?""", ConversationFixtures.TOOLS_JSON.strip(), runId);
        jdbc.update("""
                INSERT INTO message (conversation_id, seq, role, content, tool_calls, tool_call_id, step, created_at)
                SELECT c.id, s,
                    (ARRAY['system','user','assistant','tool','assistant','tool'])[s + 1],
                    CASE s
                      WHEN 0 THEN 'You are an expert DevOps engineer assigned to a Kubernetes cluster. ' || repeat('Use the APIs to inspect pods, logs, metrics and traces. ', 8)
                      WHEN 1 THEN 'Task ' || c.episode_id || ': detect whether there is an anomaly in namespace test-social-network. ' || md5(c.id::text)
                      WHEN 2 THEN NULL
                      WHEN 3 THEN (SELECT string_agg(to_char(now() - (i || ' seconds')::interval, 'HH24:MI:SS') || ' user-service-' || substr(md5(c.id::text || i), 1, 5)
                                    || ' ERROR connect() failed: connection refused to 10.0.' || (i % 255) || '.' || (c.episode_id % 255) || ':9090', E'\\n')
                                   FROM generate_series(1, 12) i)
                      WHEN 4 THEN 'The service user-service is unreachable on its target port.'
                      ELSE 'Submission received.' END,
                    CASE s WHEN 2 THEN '[{"id":"call_' || md5(c.id::text) || '","type":"function","function":{"name":"get_logs","arguments":"{\\"namespace\\": \\"test-social-network\\", \\"service\\": \\"user-service\\"}"}}]'
                           WHEN 4 THEN '[{"id":"call_2","type":"function","function":{"name":"submit","arguments":"{\\"answer\\": \\"Yes\\"}"}}]' END,
                    CASE s WHEN 3 THEN 'call_' || md5(c.id::text) WHEN 5 THEN 'call_2' END,
                    CASE WHEN s < 2 THEN 0 WHEN s < 4 THEN 1 ELSE 2 END, now()
                FROM conversation c JOIN episode e ON e.id = c.episode_id CROSS JOIN generate_series(0, 5) s
                WHERE e.run_id = ?""", runId);
        jdbc.update("""
                INSERT INTO llm_call (conversation_id, seq, step, request_id, model_requested, model_reported, started_at,
                    latency_ms, finish_reason, attempts, input_uncached_tokens, cache_read_tokens, cache_write_tokens,
                    output_tokens, reasoning_tokens, usage_estimated, cost_usd, price_version, token_ids, logprobs)
                SELECT c.id, s, s + 1, 'req', 'gpt-4o', 'gpt-4o', now(), 700 + (c.episode_id % 500), 'tool_calls', 1,
                    1200 + s * 300 + c.episode_id % 97, s * 1024, 0, 40 + c.episode_id % 50, 0, FALSE,
                    round((0.0025 + s * 0.001 + (c.episode_id % 97) * 0.00001)::numeric, 10), 'bench',
                    CASE WHEN c.episode_id % 10 = 0 THEN
                      CASE s WHEN 0 THEN '{"prompt_token_ids":[' || (SELECT string_agg(i::text, ',') FROM generate_series(1, 300) i) || '],"token_ids":[901,902,903,904]}'
                             ELSE '{"prompt_token_ids":[' || (SELECT string_agg(i::text, ',') FROM generate_series(1, 300) i) || ',901,902,903,904,' || (SELECT string_agg(i::text, ',') FROM generate_series(500, 700) i) || '],"token_ids":[905,906]}' END END,
                    CASE WHEN c.episode_id % 10 = 0 THEN CASE s WHEN 0 THEN '[-0.1,-0.2,-0.3,-0.4]' ELSE '[-0.5,-0.6]' END END
                FROM conversation c JOIN episode e ON e.id = c.episode_id CROSS JOIN generate_series(0, 1) s
                WHERE e.run_id = ?""", runId);
        jdbc.update("""
                UPDATE conversation c SET total_messages = 6, llm_calls = 2, input_uncached_tokens = t.iu,
                    cache_read_tokens = t.cr, output_tokens = t.o, cost_usd = t.cost
                FROM (SELECT conversation_id, SUM(input_uncached_tokens) iu, SUM(cache_read_tokens) cr,
                        SUM(output_tokens) o, SUM(cost_usd) cost FROM llm_call GROUP BY conversation_id) t
                WHERE t.conversation_id = c.id""");
        jdbc.execute("ANALYZE");
    }

    static String option(String[] args, String name, String fallback) {
        return Arrays.stream(args).filter(a -> a.startsWith("--" + name + "=")).map(a -> a.substring(name.length() + 3))
                .findFirst().orElse(fallback);
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> {
                try {
                    return Files.size(p);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }).sum();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Samples used heap every 5 ms and records the heap pools' peak usage. */
    record HeapSampler(Thread thread, AtomicLong peak) {

        static HeapSampler start() {
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            AtomicLong peak = new AtomicLong();
            Thread thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
                Runtime runtime = Runtime.getRuntime();
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                    try {
                        Thread.sleep(5);
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                }
            });
            return new HeapSampler(thread, peak);
        }

        void stop() {
            thread.interrupt();
        }

        long peakSampled() {
            return peak.get();
        }

        long peakPools() {
            return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        }
    }
}
