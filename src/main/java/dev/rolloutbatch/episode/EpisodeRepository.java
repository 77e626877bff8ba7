package dev.rolloutbatch.episode;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.RowMapperResultSetExtractor;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.AgentSettingsJson;
import dev.rolloutbatch.conversation.ConversationLog;

import static dev.rolloutbatch.conversation.NullableColumns.nullableLong;
import static dev.rolloutbatch.conversation.Timestamps.utc;

/**
 * The {@code episode} table. Every method is one short auto-committed statement: no transaction is ever held
 * open while an episode runs.
 */
@Repository
public class EpisodeRepository {

    private static final String COLUMNS = "id, run_id, problem_id, sample_index, group_id, seed, status, attempt,"
            + " policy, environment, max_steps, timeout_seconds, parameters";

    private static final String[] COLUMN_NAMES = COLUMNS.split(",\\s*");

    private static final String CLAIM = """
            UPDATE episode SET status = ?, attempt = attempt + 1, worker_id = ?, started_at = ?,
                heartbeat_at = ?, ended_at = NULL, error = NULL, failure_class = NULL
            WHERE id = ? AND status = ?""";

    private static final RowMapper<Episode> MAPPER = EpisodeRepository::map;

    /** The error recorded on an episode cancelled before it started. */
    private static final String CANCELLED_ERROR = "cancelled";

    private final JdbcTemplate jdbc;
    private final ConversationLog conversations;

    public EpisodeRepository(JdbcTemplate jdbc, ConversationLog conversations) {
        this.jdbc = jdbc;
        this.conversations = conversations;
    }

    public Optional<Episode> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM episode WHERE id = ?", MAPPER, id).stream().findFirst();
    }

    /** Inserts a pending episode that belongs to no run (sample 0) and returns its id. */
    public long insert(NewEpisode e) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement ps = connection.prepareStatement("""
                    INSERT INTO episode (run_id, source, problem_id, task_type, application, sample_index, group_id,
                        seed, status, attempt, policy, environment, model, max_steps, timeout_seconds, parameters,
                        created_at)
                    VALUES (NULL, ?, ?, ?, ?, 0, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)""", new String[] { "id" });
            int i = 1;
            ps.setString(i++, e.source());
            ps.setString(i++, e.problem().id());
            ps.setString(i++, e.problem().taskType().id());
            ps.setString(i++, e.problem().application());
            ps.setString(i++, e.groupId());
            ps.setLong(i++, e.seed());
            ps.setString(i++, EpisodeStatus.PENDING.id());
            ps.setString(i++, e.policy());
            ps.setString(i++, e.environment());
            ps.setString(i++, e.settings().model());
            ps.setInt(i++, e.maxSteps());
            ps.setInt(i++, e.timeoutSeconds());
            ps.setString(i++, AgentSettingsJson.write(e.settings()));
            ps.setObject(i, utc(Instant.now()));
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    /** Stamps the heartbeat of an episode that is still running. */
    public void heartbeat(long id) {
        jdbc.update("UPDATE episode SET heartbeat_at = ? WHERE id = ? AND status = ?", utc(Instant.now()), id,
                EpisodeStatus.RUNNING.id());
    }

    /** Stamps the heartbeat of an episode that one worker still runs. */
    public void heartbeat(long id, String workerId) {
        jdbc.update("UPDATE episode SET heartbeat_at = ? WHERE id = ? AND worker_id = ? AND status = ?",
                utc(Instant.now()), id, workerId, EpisodeStatus.RUNNING.id());
    }

    /** Cancels a pending episode of one source at once; true when this call cancelled it. */
    public boolean cancelPending(long id, String source) {
        return jdbc.update("""
                UPDATE episode SET status = ?, cancel_requested = TRUE, ended_at = ?, error = ?
                WHERE id = ? AND source = ? AND status = ?""", EpisodeStatus.CANCELLED.id(), utc(Instant.now()),
                CANCELLED_ERROR, id, source, EpisodeStatus.PENDING.id()) == 1;
    }

    /** Asks a running episode of one source to stop at its next step; true when it was running. */
    public boolean requestCancel(long id, String source) {
        return jdbc.update("UPDATE episode SET cancel_requested = TRUE WHERE id = ? AND source = ? AND status = ?",
                id, source, EpisodeStatus.RUNNING.id()) == 1;
    }

    /**
     * Puts the running episodes of one source whose heartbeat is older than {@code staleBefore} back in the queue
     * (their worker died), after marking every conversation of theirs aborted (even one closed just before the
     * worker died without recording the result), so that each ends with exactly one completed conversation.
     * Returns how many were requeued.
     */
    public int requeueStale(String source, Instant staleBefore) {
        Instant now = Instant.now();
        conversations.abortUnfinished(staleIds(source, staleBefore), now);
        return jdbc.update("""
                UPDATE episode SET status = ?, worker_id = NULL, started_at = NULL, heartbeat_at = NULL
                WHERE source = ? AND status = ? AND (heartbeat_at IS NULL OR heartbeat_at < ?)""",
                EpisodeStatus.PENDING.id(), source, EpisodeStatus.RUNNING.id(), utc(staleBefore));
    }

    /**
     * Puts an attempt that its own process stopped (cancelled because the process is shutting down, not because
     * a user asked) back in the queue, its conversation aborted.
     */
    public void requeueAfterShutdown(long id, int attempt, UUID conversationId) {
        int updated = jdbc.update("""
                UPDATE episode SET status = ?, worker_id = NULL, started_at = NULL, ended_at = NULL,
                    heartbeat_at = NULL, error = NULL, steps_taken = NULL
                WHERE id = ? AND attempt = ? AND status = ? AND cancel_requested = FALSE""",
                EpisodeStatus.PENDING.id(), id, attempt, EpisodeStatus.CANCELLED.id());
        if (updated == 1 && conversationId != null) {
            conversations.abort(conversationId);
        }
    }

    /**
     * Ends the running episodes of one source whose heartbeat is older than {@code staleBefore} (their process
     * died) with the given status and reason, their conversations aborted. Returns how many were ended.
     */
    public int endStale(String source, Instant staleBefore, EpisodeStatus status, String reason) {
        Instant now = Instant.now();
        conversations.abortRunning(staleIds(source, staleBefore), now);
        return jdbc.update("""
                UPDATE episode SET status = ?, ended_at = ?, error = ?
                WHERE source = ? AND status = ? AND (heartbeat_at IS NULL OR heartbeat_at < ?)""",
                status.id(), utc(now), reason, source, EpisodeStatus.RUNNING.id(), utc(staleBefore));
    }

    /** The running episodes of one source whose heartbeat is older than {@code staleBefore}. */
    private List<Long> staleIds(String source, Instant staleBefore) {
        return jdbc.queryForList("""
                SELECT id FROM episode
                WHERE source = ? AND status = ? AND (heartbeat_at IS NULL OR heartbeat_at < ?)""",
                Long.class, source, EpisodeStatus.RUNNING.id(), utc(staleBefore));
    }

    /** IDs of a run's episodes waiting to be run, in plan order. */
    public List<Long> pendingIds(long runId) {
        return pendingIds(runId, EpisodeSlice.WHOLE);
    }

    /** IDs of the episodes of one slice of a run waiting to be run, in plan order. */
    public List<Long> pendingIds(long runId, EpisodeSlice slice) {
        return jdbc.queryForList("SELECT id FROM episode WHERE run_id = ? AND status = ? AND MOD(id, ?) = ? ORDER BY id",
                Long.class, runId, EpisodeStatus.PENDING.id(), slice.buckets(), slice.bucket());
    }

    /** One planned (problem, sample) of a run. */
    public record Planned(String problemId, String taskType, String application, int sampleIndex, String groupId,
            long seed, String policy, String environment, String model, int maxSteps, int timeoutSeconds,
            AgentSettings settings) {
    }

    /** Inserts a run's plan as pending episodes, in one batch (the caller's transaction makes it all or nothing). */
    public int plan(long runId, List<Planned> episodes) {
        Instant now = Instant.now();
        List<Object[]> rows = new ArrayList<>();
        for (Planned e : episodes) {
            rows.add(new Object[] { runId, e.problemId(), e.taskType(), e.application(), e.sampleIndex(), e.groupId(),
                    e.seed(), EpisodeStatus.PENDING.id(), e.policy(), e.environment(), e.model(), e.maxSteps(),
                    e.timeoutSeconds(), AgentSettingsJson.write(e.settings()), utc(now) });
        }
        jdbc.batchUpdate("""
                INSERT INTO episode (run_id, source, problem_id, task_type, application, sample_index, group_id, seed,
                    status, policy, environment, model, max_steps, timeout_seconds, parameters, created_at)
                VALUES (?, 'batch', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
        return rows.size();
    }

    /**
     * Claims a pending episode for one worker: atomically marks it running and counts the attempt. Safe against
     * concurrent claimers, in this process or another one on the same database: exactly one of them wins.
     */
    public Optional<Episode> claim(long id, String workerId) {
        Instant now = Instant.now();
        Object[] arguments = { EpisodeStatus.RUNNING.id(), workerId, utc(now), utc(now), id,
                EpisodeStatus.PENDING.id() };
        // The claimed row comes back with the update (as its generated keys, which PostgreSQL's driver and H2 both
        // give for an UPDATE): one round trip instead of an update and a select.
        List<Episode> claimed = jdbc.execute(connection -> connection.prepareStatement(CLAIM, COLUMN_NAMES),
                (PreparedStatement statement) -> {
                    new ArgumentPreparedStatementSetter(arguments).setValues(statement);
                    statement.executeUpdate();
                    try (ResultSet keys = statement.getGeneratedKeys()) {
                        return new RowMapperResultSetExtractor<>(MAPPER, 1).extractData(keys);
                    }
                });
        return claimed == null || claimed.isEmpty() ? Optional.empty() : Optional.of(claimed.getFirst());
    }

    /**
     * Records the outcome of the attempt, unless the episode was taken from it meanwhile (requeued as
     * pending, or claimed by a newer attempt). An interrupted attempt returns the episode to pending.
     */
    public void finish(EpisodeResult result, int attempt, String evaluationJson, String solution) {
        if (result.interrupted()) {
            jdbc.update("""
                    UPDATE episode SET status = ?, worker_id = NULL, ended_at = NULL, steps_taken = ?, error = ?
                    WHERE id = ? AND attempt = ? AND status = ?""", EpisodeStatus.PENDING.id(), result.steps(),
                    result.error(), result.episodeId(), attempt, EpisodeStatus.RUNNING.id());
            return;
        }
        jdbc.update("""
                UPDATE episode SET status = ?, ended_at = ?, steps_taken = ?, success = ?, reward = ?,
                    evaluation = ?, solution = ?, error = ?, failure_class = ?
                WHERE id = ? AND attempt = ? AND status = ?""", result.status().id(), utc(Instant.now()),
                result.steps(), result.success(), result.reward(), evaluationJson, solution, result.error(),
                result.failureClass() == null ? null : result.failureClass().id(), result.episodeId(), attempt,
                EpisodeStatus.RUNNING.id());
    }

    /**
     * Returns the episodes of a run left running by a process that died to pending, and marks every
     * conversation of theirs aborted (even one that closed before the process died without recording the
     * episode's result), so that they run again from a clean start and end with exactly one completed
     * conversation. Their LLM calls stay, and keep counting towards the run's spend. Only call this while no
     * other process is running the run.
     */
    public int requeueInterrupted(long runId) {
        return requeueInterrupted(runId, EpisodeSlice.WHOLE);
    }

    /**
     * {@link #requeueInterrupted(long)} for one slice of a run: only call it while no other process runs that
     * slice (a remote partition holds the slice's lock).
     */
    public int requeueInterrupted(long runId, EpisodeSlice slice) {
        conversations.abortUnfinished(jdbc.queryForList(
                "SELECT id FROM episode WHERE run_id = ? AND status = ? AND MOD(id, ?) = ?", Long.class, runId,
                EpisodeStatus.RUNNING.id(), slice.buckets(), slice.bucket()), Instant.now());
        return jdbc.update("""
                UPDATE episode SET status = ?, worker_id = NULL WHERE run_id = ? AND status = ? AND MOD(id, ?) = ?""",
                EpisodeStatus.PENDING.id(), runId, EpisodeStatus.RUNNING.id(), slice.buckets(), slice.bucket());
    }

    /**
     * Returns a run's episodes that failed for infrastructure reasons (endpoint or environment) to pending, so
     * that a restart runs exactly those again; agent failures and completed episodes are kept. Their failed
     * conversations stay as they are (closed {@code failed}, with their cost).
     */
    public int requeueInfrastructureFailures(long runId) {
        return requeueInfrastructureFailures(runId, EpisodeSlice.WHOLE);
    }

    /** {@link #requeueInfrastructureFailures(long)} for one slice of a run. */
    public int requeueInfrastructureFailures(long runId, EpisodeSlice slice) {
        return jdbc.update("""
                UPDATE episode SET status = ?, worker_id = NULL
                WHERE run_id = ? AND status = ? AND failure_class LIKE ? AND MOD(id, ?) = ?""",
                EpisodeStatus.PENDING.id(), runId, EpisodeStatus.FAILED.id(), FailureClass.INFRASTRUCTURE_PREFIX + "%",
                slice.buckets(), slice.bucket());
    }

    /** How many of a run's episodes ended in each failure class. */
    public Map<FailureClass, Integer> failureClasses(long runId) {
        Map<FailureClass, Integer> counts = new EnumMap<>(FailureClass.class);
        jdbc.query("""
                SELECT failure_class, COUNT(*) AS n FROM episode WHERE run_id = ? AND failure_class IS NOT NULL
                GROUP BY failure_class""", rs -> {
            counts.put(FailureClass.fromId(rs.getString("failure_class")), rs.getInt("n"));
        }, runId);
        return counts;
    }

    /** The reason recorded on the run's most recent infrastructure failure, or null. */
    public @Nullable String lastInfrastructureError(long runId) {
        return jdbc.query("""
                SELECT error FROM episode WHERE run_id = ? AND failure_class LIKE ?
                ORDER BY ended_at DESC, id DESC""", rs -> rs.next() ? rs.getString(1) : null, runId,
                FailureClass.INFRASTRUCTURE_PREFIX + "%");
    }

    public boolean isCancelRequested(long id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT cancel_requested FROM episode WHERE id = ?",
                Boolean.class, id));
    }

    private static Episode map(ResultSet rs, int row) throws SQLException {
        return new Episode(rs.getLong("id"), nullableLong(rs, "run_id"), rs.getString("problem_id"),
                rs.getInt("sample_index"), rs.getString("group_id"), rs.getLong("seed"),
                EpisodeStatus.fromId(rs.getString("status")), rs.getInt("attempt"), rs.getString("policy"),
                rs.getString("environment"), rs.getInt("max_steps"), rs.getInt("timeout_seconds"),
                AgentSettingsJson.read(rs.getString("parameters")));
    }
}
