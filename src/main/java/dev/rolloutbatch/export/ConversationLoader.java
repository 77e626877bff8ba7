package dev.rolloutbatch.export;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;

/**
 * Loads the messages and LLM calls of one chunk of episodes with two ordered queries, so memory is bounded by the
 * chunk size, never by the size of the export.
 */
class ConversationLoader {

    private static final String MESSAGES = """
            SELECT conversation_id, role, content, name, tool_calls, tool_call_id, step FROM message
            WHERE conversation_id = ANY (?) ORDER BY conversation_id, seq""";

    private static final String CALLS = """
            SELECT conversation_id, seq, latency_ms, cost_usd, token_ids, logprobs FROM llm_call
            WHERE conversation_id = ANY (?) ORDER BY conversation_id, seq""";

    private final JdbcTemplate jdbc;

    ConversationLoader(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Trajectory> load(List<? extends EpisodeRow> episodes) {
        if (episodes.isEmpty()) {
            return List.of();
        }
        UUID[] ids = episodes.stream().map(EpisodeRow::conversationId).toArray(UUID[]::new);
        Map<UUID, List<Trajectory.Message>> messages = new HashMap<>();
        query(MESSAGES, ids, rs -> messages.computeIfAbsent(rs.getObject("conversation_id", UUID.class),
                id -> new ArrayList<>()).add(new Trajectory.Message(rs.getString("role"), rs.getString("content"),
                        rs.getString("name"), rs.getString("tool_call_id"), Json.toolCalls(rs.getString("tool_calls")),
                        rs.getInt("step"))));
        Map<UUID, List<Trajectory.LlmCall>> calls = new HashMap<>();
        query(CALLS, ids, rs -> {
            UUID id = rs.getObject("conversation_id", UUID.class);
            calls.computeIfAbsent(id, key -> new ArrayList<>()).add(new Trajectory.LlmCall(id, rs.getInt("seq"),
                    rs.getLong("latency_ms"), rs.getBigDecimal("cost_usd"), rs.getString("token_ids"),
                    rs.getString("logprobs")));
        });
        List<Trajectory> trajectories = new ArrayList<>(episodes.size());
        for (EpisodeRow episode : episodes) {
            trajectories.add(new Trajectory(episode, messages.getOrDefault(episode.conversationId(), List.of()),
                    calls.getOrDefault(episode.conversationId(), List.of())));
        }
        return trajectories;
    }

    private void query(String sql, UUID[] ids, org.springframework.jdbc.core.RowCallbackHandler handler) {
        jdbc.execute(sql, (PreparedStatementCallback<Void>) ps -> {
            bind(ps, ids);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.processRow(rs);
                }
            }
            return null;
        });
    }

    private static void bind(PreparedStatement ps, UUID[] ids) throws java.sql.SQLException {
        Array array = ps.getConnection().createArrayOf("uuid", ids);
        ps.setArray(1, array);
    }
}
