package dev.rolloutbatch.episode;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import dev.rolloutbatch.agent.AgentSettingsJson;

import static dev.rolloutbatch.conversation.Timestamps.utc;

/**
 * The {@code episode} table. Every method is one short auto-committed statement: no transaction is ever held
 * open while an episode runs.
 */
@Repository
public class EpisodeRepository {

    private static final String COLUMNS = "id, run_id, problem_id, sample_index, group_id, seed, status, attempt,"
            + " policy, environment, max_steps, timeout_seconds, parameters";

    private static final RowMapper<Episode> MAPPER = EpisodeRepository::map;

    private final JdbcTemplate jdbc;

    public EpisodeRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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
                    VALUES (NULL, ?, ?, ?, ?, 0, ?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?, ?)""", new String[] { "id" });
            int i = 1;
            ps.setString(i++, e.source());
            ps.setString(i++, e.problem().id());
            ps.setString(i++, e.problem().taskType().id());
            ps.setString(i++, e.problem().application());
            ps.setString(i++, e.groupId());
            ps.setLong(i++, e.seed());
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
        jdbc.update("UPDATE episode SET heartbeat_at = ? WHERE id = ? AND status = 'running'", utc(Instant.now()), id);
    }

    /**
     * Ends the running episodes of one source whose heartbeat is older than {@code staleBefore} (their process
     * died) with the given status and reason, their conversations aborted. Returns how many were ended.
     */
    public int endStale(String source, Instant staleBefore, EpisodeStatus status, String reason) {
        Instant now = Instant.now();
        jdbc.update("""
                UPDATE conversation SET status = 'aborted', ended_at = COALESCE(ended_at, ?)
                WHERE status = 'running' AND episode_id IN (SELECT id FROM episode WHERE source = ?
                    AND status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ?))""",
                utc(now), source, utc(staleBefore));
        return jdbc.update("""
                UPDATE episode SET status = ?, ended_at = ?, error = ?
                WHERE source = ? AND status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ?)""",
                status.id(), utc(now), reason, source, utc(staleBefore));
    }

    /** IDs of a run's episodes waiting to be run, in plan order. */
    public List<Long> pendingIds(long runId) {
        return jdbc.queryForList("SELECT id FROM episode WHERE run_id = ? AND status = 'pending' ORDER BY id",
                Long.class, runId);
    }

    /**
     * Claims a pending episode for one worker: atomically marks it running and counts the attempt. Safe against
     * concurrent claimers, in this process or another one on the same database: exactly one of them wins.
     */
    public Optional<Episode> claim(long id, String workerId) {
        Instant now = Instant.now();
        int updated = jdbc.update("""
                UPDATE episode SET status = 'running', attempt = attempt + 1, worker_id = ?, started_at = ?,
                    heartbeat_at = ?, ended_at = NULL, error = NULL
                WHERE id = ? AND status = 'pending'""", workerId, utc(now), utc(now), id);
        return updated == 1 ? find(id) : Optional.empty();
    }

    /**
     * Records the outcome of the attempt, unless the episode was taken from it meanwhile (requeued as
     * pending, or claimed by a newer attempt).
     */
    public void finish(EpisodeResult result, int attempt, String evaluationJson, String solution) {
        jdbc.update("""
                UPDATE episode SET status = ?, ended_at = ?, steps_taken = ?, success = ?, reward = ?,
                    evaluation = ?, solution = ?, error = ?
                WHERE id = ? AND attempt = ? AND status = 'running'""", result.status().id(), utc(Instant.now()), result.steps(),
                result.success(), result.reward(), evaluationJson, solution, result.error(), result.episodeId(),
                attempt);
    }

    /**
     * Returns the episodes of a run left running by a process that died to pending, and marks every
     * conversation of theirs aborted (even one that closed before the process died without recording the
     * episode's result), so that they run again from a clean start and end with exactly one completed
     * conversation. Only call this while no other process is running the run.
     */
    public int requeueInterrupted(long runId) {
        Instant now = Instant.now();
        jdbc.update("""
                UPDATE conversation SET status = 'aborted', ended_at = COALESCE(ended_at, ?)
                WHERE status <> 'aborted'
                  AND episode_id IN (SELECT id FROM episode WHERE run_id = ? AND status = 'running')""",
                utc(now), runId);
        return jdbc.update("UPDATE episode SET status = 'pending', worker_id = NULL WHERE run_id = ? AND status = 'running'",
                runId);
    }

    public boolean isCancelRequested(long id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT cancel_requested FROM episode WHERE id = ?",
                Boolean.class, id));
    }

    private static Episode map(ResultSet rs, int row) throws SQLException {
        long runId = rs.getLong("run_id");
        return new Episode(rs.getLong("id"), rs.wasNull() ? null : runId, rs.getString("problem_id"),
                rs.getInt("sample_index"), rs.getString("group_id"), rs.getLong("seed"),
                EpisodeStatus.fromId(rs.getString("status")), rs.getInt("attempt"), rs.getString("policy"),
                rs.getString("environment"), rs.getInt("max_steps"), rs.getInt("timeout_seconds"),
                AgentSettingsJson.read(rs.getString("parameters")));
    }
}
