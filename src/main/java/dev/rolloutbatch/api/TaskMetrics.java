package dev.rolloutbatch.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.episode.EpisodeResult;
import dev.rolloutbatch.episode.EpisodeStatus;

/**
 * Micrometer meters of the server, scraped at {@code /actuator/prometheus}:
 * <ul>
 * <li>{@code rollout_episodes{status}} — episodes in the database by status (all sources, refreshed at most every
 * 5 s);</li>
 * <li>{@code rollout_api_tasks_finished_total{status}} — tasks this server's workers ended;</li>
 * <li>{@code rollout_llm_latency_seconds{model}} — completion latency of the calls made by this server's tasks;</li>
 * <li>{@code rollout_llm_tokens_total{model, bucket}} — their tokens, per usage bucket;</li>
 * <li>{@code rollout_llm_cost_usd_total{model}} — their cost in US dollars (priced calls only).</li>
 * </ul>
 * The LLM meters are fed from the {@code llm_call} rows of each conversation when its task ends.
 */
@Component
@Profile("serve")
class TaskMetrics {

    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final JdbcTemplate jdbc;
    private Map<String, Long> counts = Map.of();
    private long countedAt;

    TaskMetrics(MeterRegistry registry, JdbcTemplate jdbc) {
        this.registry = registry;
        this.jdbc = jdbc;
        for (EpisodeStatus status : EpisodeStatus.values()) {
            Gauge.builder("rollout.episodes", this, m -> m.count(status.id()))
                .tag("status", status.id())
                .description("Episodes in the database by status")
                .register(registry);
        }
    }

    private synchronized double count(String status) {
        long now = System.nanoTime();
        if (counts.isEmpty() || now - countedAt > REFRESH.toNanos()) {
            Map<String, Long> fresh = new TreeMap<>();
            jdbc.query("SELECT status, COUNT(*) AS n FROM episode GROUP BY status",
                    rs -> {
                        fresh.put(rs.getString("status"), rs.getLong("n"));
                    });
            counts = fresh;
            countedAt = now;
        }
        return counts.getOrDefault(status, 0L);
    }

    void finished(EpisodeResult result) {
        Counter.builder("rollout.api.tasks.finished").tag("status", result.status().id())
            .description("Tasks ended by this server's workers").register(registry).increment();
        UUID conversation = result.conversationId();
        if (conversation == null) {
            return;
        }
        jdbc.query("""
                SELECT model_requested, latency_ms, input_uncached_tokens, cache_read_tokens, cache_write_tokens,
                    output_tokens, reasoning_tokens, cost_usd
                FROM llm_call WHERE conversation_id = ?""", rs -> {
            String model = rs.getString("model_requested");
            Timer.builder("rollout.llm.latency").tag("model", model).description("LLM completion latency")
                .register(registry).record(rs.getLong("latency_ms"), TimeUnit.MILLISECONDS);
            for (String bucket : new String[] { "input_uncached", "cache_read", "cache_write", "output",
                    "reasoning" }) {
                Counter.builder("rollout.llm.tokens").tag("model", model).tag("bucket", bucket)
                    .description("LLM tokens by usage bucket (reasoning is part of output)").register(registry)
                    .increment(rs.getLong(bucket + "_tokens"));
            }
            BigDecimal cost = rs.getBigDecimal("cost_usd");
            if (cost != null) {
                Counter.builder("rollout.llm.cost.usd").tag("model", model).description("LLM cost in US dollars")
                    .register(registry).increment(cost.doubleValue());
            }
        }, conversation);
    }
}
