package dev.rolloutbatch.benchmark;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.ConversationLog;
import dev.rolloutbatch.conversation.ConversationStart;
import dev.rolloutbatch.conversation.ConversationStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What logging costs, measured through {@link ConversationLog} into PostgreSQL: the throughput of many
 * conversations appending at once, and the latency (append, then {@code sync()} until durable) of a message
 * early and late in one long conversation.
 */
final class LoggingCost {

    record Result(int conversations, int messagesEach, double messagesPerSecond, double earlyMs, double lateMs,
            int early, int late) {
    }

    private static final String CONTENT = "NAME READY STATUS RESTARTS AGE user-service-5d9f8b7c4-x2k8p 1/1 Running 0 12m "
            .repeat(6);

    private final JdbcTemplate jdbc;
    private final ConversationLog log;

    LoggingCost(JdbcTemplate jdbc, ConversationLog log) {
        this.jdbc = jdbc;
        this.log = log;
    }

    Result measure(int conversations, int messagesEach, int early, int late) throws Exception {
        DatabaseCleaner.truncate(jdbc);
        long episode = episode();
        // Warm up the writer, the JIT and the connection.
        throughput(episode, 0, 32, 50);
        double perSecond = throughput(episode, 1_000, conversations, messagesEach);

        int window = 5;
        UUID id = open(episode, 50_000);
        double[] latencies = new double[late + window + 1];
        for (int seq = 0; seq < latencies.length; seq++) {
            long start = System.nanoTime();
            log.append(id, seq, seq / 2, ChatMessage.user(CONTENT), Instant.now());
            log.sync();
            latencies[seq] = (System.nanoTime() - start) / 1e6;
        }
        log.close(id, ConversationStatus.COMPLETED, Instant.now());
        log.sync();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message WHERE conversation_id = ?", Integer.class, id))
            .isEqualTo(latencies.length);
        return new Result(conversations, messagesEach, perSecond, median(latencies, early - window, early + window),
                median(latencies, late - window, late + window), early, late);
    }

    private double throughput(long episode, int firstAttempt, int conversations, int messagesEach) throws Exception {
        long before = jdbc.queryForObject("SELECT COUNT(*) FROM message", Long.class);
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < conversations; c++) {
                int attempt = firstAttempt + c + 1;
                done.add(threads.submit(() -> {
                    UUID id = open(episode, attempt);
                    for (int seq = 0; seq < messagesEach; seq++) {
                        log.append(id, seq, seq / 2, seq % 2 == 0 ? ChatMessage.user(CONTENT)
                                : ChatMessage.assistant("```\nexec_shell(\"kubectl get pods -n test\")\n```"),
                                Instant.now());
                    }
                    log.close(id, ConversationStatus.COMPLETED, Instant.now());
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        log.sync();
        double seconds = (System.nanoTime() - start) / 1e9;
        long written = jdbc.queryForObject("SELECT COUNT(*) FROM message", Long.class) - before;
        assertThat(written).isEqualTo((long) conversations * messagesEach);
        return written / seconds;
    }

    private UUID open(long episode, int attempt) {
        UUID id = UUID.randomUUID();
        log.open(new ConversationStart(id, episode, attempt, "openai", "gpt-4o-mini", "text", "{}", null,
                Instant.now()));
        return id;
    }

    private long episode() {
        return jdbc.queryForObject("""
                INSERT INTO episode (source, problem_id, task_type, application, sample_index, group_id, seed, status,
                    policy, environment, model, max_steps, timeout_seconds, parameters, created_at)
                VALUES ('benchmark', 'k8s_target_port-misconfig-detection-1', 'detection', 'SocialNetwork', 0, 'g-1',
                    7, 'running', 'openai', 'bench', 'gpt-4o-mini', 10, 300, '{}', now()) RETURNING id""", Long.class);
    }

    private static double median(double[] values, int from, int to) {
        double[] window = Arrays.copyOfRange(values, Math.max(0, from), Math.min(values.length, to + 1));
        Arrays.sort(window);
        return window[window.length / 2];
    }
}
