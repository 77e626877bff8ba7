package dev.rolloutbatch.collect;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invariants every finished run must keep, checked on the rows: every planned episode has ended with exactly
 * one completed conversation or a recorded failure reason, no message is missing or doubled, and every total
 * equals the sum of what it totals.
 */
public final class RunInvariants {

    private RunInvariants() {
    }

    public static void assertFinishedExactlyOnce(JdbcTemplate jdbc, long runId) {
        List<Map<String, Object>> unfinished = jdbc.queryForList(
                "SELECT id, problem_id, status FROM episode WHERE run_id = ? AND status IN ('pending', 'running')",
                runId);
        assertThat(unfinished).as("episodes still pending or running").isEmpty();
        assertConsistent(jdbc, runId);
    }

    /**
     * The invariants of a run that may have episodes left pending (a spent budget): nothing is left running, and
     * every episode that ended keeps the rules above.
     */
    public static void assertConsistent(JdbcTemplate jdbc, long runId) {
        List<Map<String, Object>> runningEpisodes = jdbc.queryForList(
                "SELECT id, problem_id FROM episode WHERE run_id = ? AND status = 'running'", runId);
        assertThat(runningEpisodes).as("episodes left running").isEmpty();

        List<Map<String, Object>> wrongCount = jdbc.queryForList("""
                SELECT e.id, e.status, COUNT(c.id) AS completed
                FROM episode e LEFT JOIN conversation c ON c.episode_id = e.id AND c.status = 'completed'
                WHERE e.run_id = ?
                GROUP BY e.id, e.status
                HAVING (e.status = 'completed' AND COUNT(c.id) <> 1) OR (e.status <> 'completed' AND COUNT(c.id) <> 0)""",
                runId);
        assertThat(wrongCount).as("completed episodes need exactly one completed conversation").isEmpty();

        List<Map<String, Object>> stale = jdbc.queryForList("""
                SELECT e.id FROM episode e JOIN conversation c ON c.episode_id = e.id AND c.status = 'completed'
                WHERE e.run_id = ? AND c.attempt <> e.attempt""", runId);
        assertThat(stale).as("the completed conversation belongs to the episode's last attempt").isEmpty();

        List<Map<String, Object>> unexplained = jdbc.queryForList(
                "SELECT id FROM episode WHERE run_id = ? AND status NOT IN ('completed', 'pending')"
                        + " AND (error IS NULL OR error = '')",
                runId);
        assertThat(unexplained).as("episodes without a result must record why").isEmpty();

        List<Map<String, Object>> running = jdbc.queryForList("""
                SELECT c.id FROM conversation c JOIN episode e ON e.id = c.episode_id
                WHERE e.run_id = ? AND c.status = 'running'""", runId);
        assertThat(running).as("no conversation is left running").isEmpty();

        List<Map<String, Object>> gaps = jdbc.queryForList("""
                SELECT c.id, c.total_messages, COUNT(m.seq) AS n, MIN(m.seq) AS lo, MAX(m.seq) AS hi
                FROM conversation c JOIN episode e ON e.id = c.episode_id
                LEFT JOIN message m ON m.conversation_id = c.id
                WHERE e.run_id = ? AND c.status IN ('completed', 'failed')
                GROUP BY c.id, c.total_messages
                HAVING COUNT(m.seq) = 0 OR MIN(m.seq) <> 0 OR MAX(m.seq) <> COUNT(m.seq) - 1
                    OR c.total_messages <> COUNT(m.seq)""", runId);
        assertThat(gaps).as("message sequence numbers run 0..n-1 without gaps and match total_messages").isEmpty();

        List<Map<String, Object>> tokenMismatch = jdbc.queryForList("""
                SELECT c.id FROM conversation c JOIN episode e ON e.id = c.episode_id
                LEFT JOIN (SELECT conversation_id, SUM(input_uncached_tokens) AS i, SUM(cache_read_tokens) AS r,
                        SUM(cache_write_tokens) AS w, SUM(output_tokens) AS o, COUNT(*) AS n, SUM(cost_usd) AS cost
                    FROM llm_call GROUP BY conversation_id) s ON s.conversation_id = c.id
                WHERE e.run_id = ? AND c.status IN ('completed', 'failed')
                  AND (c.input_uncached_tokens <> COALESCE(s.i, 0) OR c.cache_read_tokens <> COALESCE(s.r, 0)
                    OR c.cache_write_tokens <> COALESCE(s.w, 0) OR c.output_tokens <> COALESCE(s.o, 0)
                    OR c.llm_calls <> COALESCE(s.n, 0)
                    OR (c.cost_usd IS NOT NULL AND c.cost_usd <> COALESCE(s.cost, 0)))""", runId);
        assertThat(tokenMismatch).as("conversation totals equal the sums of their llm_calls").isEmpty();
    }
}
