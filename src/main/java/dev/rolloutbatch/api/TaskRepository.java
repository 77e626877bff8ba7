package dev.rolloutbatch.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.AgentSettingsJson;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.episode.EpisodeRepository;
import dev.rolloutbatch.episode.EpisodeStatus;
import dev.rolloutbatch.episode.NewEpisode;

import static dev.rolloutbatch.conversation.NullableColumns.instant;
import static dev.rolloutbatch.conversation.NullableColumns.money;
import static dev.rolloutbatch.conversation.NullableColumns.nullableBoolean;
import static dev.rolloutbatch.conversation.NullableColumns.nullableDouble;
import static dev.rolloutbatch.conversation.NullableColumns.nullableInteger;

/**
 * Tasks are rows of {@code episode} with {@code source = 'api'} and no run. Every statement is short and
 * auto-committed; every value from a request is a bound parameter.
 */
@Repository
@Profile("serve")
class TaskRepository {

    static final String SOURCE = "api";

    private static final String SELECT = """
            SELECT e.id, e.problem_id, e.status, e.worker_id, e.attempt, e.cancel_requested, e.policy, e.model,
                e.max_steps, e.timeout_seconds, e.parameters, e.created_at, e.started_at, e.ended_at, e.steps_taken,
                e.success, e.reward, e.solution, e.error, c.id AS conversation_id, c.cost_usd,
                (SELECT COUNT(*) FROM message m WHERE m.conversation_id = c.id) AS total_messages
            FROM episode e LEFT JOIN conversation c ON c.episode_id = e.id AND c.attempt = e.attempt
            WHERE e.source = 'api'""";

    private final JdbcTemplate jdbc;
    private final EpisodeRepository episodes;
    private final String llmPolicy;

    TaskRepository(JdbcTemplate jdbc, EpisodeRepository episodes, ApiProperties properties) {
        this.jdbc = jdbc;
        this.episodes = episodes;
        this.llmPolicy = properties.llmPolicy();
    }

    long insert(NewTask task, Problem problem, String policy, String environment, long seed) {
        AgentSettings s = task.settings();
        return episodes.insert(new NewEpisode(SOURCE, problem, SOURCE + ":" + problem.id() + ":" + s.model(), seed,
                policy, environment, s, task.maxSteps(), task.timeoutSeconds()));
    }

    Optional<TaskView> find(long id) {
        return jdbc.query(SELECT + " AND e.id = ?", this::map, id).stream().findFirst();
    }

    ListPage<TaskView> list(String status, String problemId, String workerId, Paging paging) {
        StringBuilder where = new StringBuilder();
        List<Object> args = new ArrayList<>();
        if (status != null) {
            where.append(" AND e.status = ?");
            args.add(status);
        }
        if (problemId != null) {
            where.append(" AND e.problem_id = ?");
            args.add(problemId);
        }
        if (workerId != null) {
            where.append(" AND e.worker_id = ?");
            args.add(workerId);
        }
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM episode e WHERE e.source = 'api'" + where, Long.class,
                args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(paging.limit());
        pageArgs.add(paging.offset());
        List<TaskView> items = jdbc.query(SELECT + where + " ORDER BY e.id DESC LIMIT ? OFFSET ?", this::map,
                pageArgs.toArray());
        return new ListPage<>(items, total == null ? 0 : total, paging.limit(), paging.offset());
    }

    /** Pending → cancelled at once; true when this call cancelled it. */
    boolean cancelPending(long id) {
        return episodes.cancelPending(id, SOURCE);
    }

    /** Running → cancel requested; the worker stops at the next step. True when the task was running. */
    boolean requestCancel(long id) {
        return episodes.requestCancel(id, SOURCE);
    }

    /** The oldest pending tasks, candidates for {@code EpisodeRepository.claim}. */
    List<Long> pendingCandidates(int limit) {
        return jdbc.queryForList("SELECT id FROM episode WHERE source = 'api' AND status = 'pending' ORDER BY id"
                + " LIMIT ?", Long.class, limit);
    }

    /** Stamps the heartbeat of tasks this worker still runs. */
    void heartbeat(long id, String workerId) {
        episodes.heartbeat(id, workerId);
    }

    /** Puts running tasks whose worker died back in the queue; see {@link EpisodeRepository#requeueStale}. */
    int requeueStale(Instant staleBefore) {
        return episodes.requeueStale(SOURCE, staleBefore);
    }

    /**
     * A task this server stopped because it is shutting down (not because a user cancelled it) goes back to the
     * queue, its conversation aborted.
     */
    void requeueAfterShutdown(long id, int attempt, UUID conversationId) {
        episodes.requeueAfterShutdown(id, attempt, conversationId);
    }

    TaskStats stats() {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        jdbc.query("SELECT status, COUNT(*) AS n FROM episode WHERE source = 'api' GROUP BY status",
                rs -> {
                    byStatus.put(rs.getString("status"), rs.getLong("n"));
                });
        Double avg = jdbc.queryForObject("""
                SELECT AVG(EXTRACT(EPOCH FROM ended_at) - EXTRACT(EPOCH FROM started_at)) FROM episode
                WHERE source = 'api' AND started_at IS NOT NULL AND ended_at IS NOT NULL""", Double.class);
        Map<String, Object> outcome = jdbc.queryForMap("""
                SELECT COUNT(*) AS ran, SUM(CASE WHEN success THEN 1 ELSE 0 END) AS succeeded FROM episode
                WHERE source = 'api' AND status IN ('completed', 'failed', 'timeout')""");
        long ran = ((Number) outcome.get("ran")).longValue();
        Number succeeded = (Number) outcome.get("succeeded");
        Double successRate = ran == 0 ? null : (succeeded == null ? 0 : succeeded.longValue()) / (double) ran;
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        return new TaskStats(total, count(byStatus, EpisodeStatus.PENDING), count(byStatus, EpisodeStatus.RUNNING),
                count(byStatus, EpisodeStatus.COMPLETED), count(byStatus, EpisodeStatus.FAILED),
                count(byStatus, EpisodeStatus.TIMEOUT), count(byStatus, EpisodeStatus.CANCELLED), avg, successRate,
                grouped("problem_id"), grouped("worker_id"));
    }

    private static long count(Map<String, Long> byStatus, EpisodeStatus status) {
        return byStatus.getOrDefault(status.id(), 0L);
    }

    /** Counts by one of two fixed column names (never from input). */
    private Map<String, Long> grouped(String column) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT " + column + " AS k, COUNT(*) AS n FROM episode WHERE source = 'api' AND " + column
                + " IS NOT NULL GROUP BY " + column + " ORDER BY " + column, rs -> {
                    counts.put(rs.getString("k"), rs.getLong("n"));
                });
        return counts;
    }

    private TaskView map(ResultSet rs, int row) throws SQLException {
        String status = rs.getString("status");
        Instant startedAt = instant(rs, "started_at");
        String conversation = rs.getString("conversation_id");
        TaskResult result = startedAt == null && conversation == null ? null
                : new TaskResult(nullableBoolean(rs, "success"), rs.getString("solution"), nullableInteger(rs, "steps_taken"),
                        conversation == null ? null : UUID.fromString(conversation),
                        conversation == null ? null : rs.getInt("total_messages"), nullableDouble(rs, "reward"),
                        money(rs.getBigDecimal("cost_usd")));
        return new TaskView(rs.getLong("id"), rs.getString("problem_id"), status, parameters(rs),
                rs.getString("worker_id"), rs.getInt("attempt"), rs.getBoolean("cancel_requested"), result,
                rs.getString("error"), instant(rs, "created_at"), startedAt, instant(rs, "ended_at"));
    }

    private Map<String, Object> parameters(ResultSet rs) throws SQLException {
        AgentSettings s = AgentSettingsJson.read(rs.getString("parameters"));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", s.model());
        config.put("protocol", s.protocol().id());
        putIfSet(config, "temperature", s.temperature());
        putIfSet(config, "top_p", s.topP());
        putIfSet(config, "max_tokens", s.maxTokens());
        putIfSet(config, "seed", s.seed());
        if (!s.stop().isEmpty()) {
            config.put("stop", s.stop());
        }
        if (s.logprobs()) {
            config.put("logprobs", true);
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("max_steps", rs.getInt("max_steps"));
        parameters.put("timeout", rs.getInt("timeout_seconds"));
        parameters.put("use_llm", llmPolicy.equals(rs.getString("policy")));
        parameters.put("agent_config", config);
        return parameters;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
