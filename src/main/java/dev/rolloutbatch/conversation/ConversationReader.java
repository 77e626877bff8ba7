package dev.rolloutbatch.conversation;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Reads the conversation log back, beside {@link ConversationLog} which writes it: messages as
 * {@link ChatMessage}s with their {@link ToolCall}s, LLM calls with their {@link Usage}. The inverse of the
 * writer's encodings (tool calls as OpenAI-shaped JSON) lives here, so no other package parses them.
 * <p>
 * Whole conversations of many ids are read with one ordered query per table, so a caller bounds memory by the
 * number of ids it asks for.
 */
@Component
public class ConversationReader {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String MESSAGES = """
            SELECT conversation_id, seq, role, content, name, tool_calls, tool_call_id, step, created_at FROM message
            WHERE conversation_id = ANY (?) ORDER BY conversation_id, seq""";

    private static final String CALLS = """
            SELECT conversation_id, seq, step, latency_ms, finish_reason, input_uncached_tokens, cache_read_tokens,
                cache_write_tokens, output_tokens, reasoning_tokens, usage_estimated, cost_usd, token_ids, logprobs
            FROM llm_call WHERE conversation_id = ANY (?) ORDER BY conversation_id, seq""";

    private final JdbcTemplate jdbc;

    public ConversationReader(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One logged message: its place in the conversation and the message itself. */
    public record LoggedMessage(int seq, int step, Instant createdAt, ChatMessage message) {
    }

    /**
     * One logged completion request.
     *
     * @param costUsd  null when the model had no price
     * @param tokenIds JSON with the prompt and response token ids, or null when not captured
     * @param logprobs JSON with the response tokens' logprobs, or null
     */
    public record LoggedCall(int seq, int step, long latencyMs, String finishReason, Usage usage,
            BigDecimal costUsd, String tokenIds, String logprobs) {
    }

    /** One page of a conversation's messages and how many there are in all. */
    public record MessagePage(List<LoggedMessage> messages, long total) {
    }

    /** A page of one conversation's messages in order, optionally only those of one role. */
    public MessagePage messages(UUID conversationId, String role, long limit, long offset) {
        String where = " WHERE conversation_id = ?" + (role == null ? "" : " AND role = ?");
        List<Object> args = new ArrayList<>(List.of(conversationId));
        if (role != null) {
            args.add(role);
        }
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM message" + where, Long.class, args.toArray());
        args.add(limit);
        args.add(offset);
        List<LoggedMessage> page = jdbc.query("""
                SELECT seq, role, content, name, tool_calls, tool_call_id, step, created_at FROM message""" + where
                + " ORDER BY seq LIMIT ? OFFSET ?", (rs, row) -> message(rs), args.toArray());
        return new MessagePage(page, total == null ? 0 : total);
    }

    /** The messages of each conversation, in order; a conversation without messages is absent from the map. */
    public Map<UUID, List<LoggedMessage>> messages(Collection<UUID> conversationIds) {
        Map<UUID, List<LoggedMessage>> messages = new HashMap<>();
        query(MESSAGES, conversationIds, rs -> messages
            .computeIfAbsent(rs.getObject("conversation_id", UUID.class), id -> new ArrayList<>())
            .add(message(rs)));
        return messages;
    }

    /** The LLM calls of each conversation, in order; a conversation without calls is absent from the map. */
    public Map<UUID, List<LoggedCall>> calls(Collection<UUID> conversationIds) {
        Map<UUID, List<LoggedCall>> calls = new HashMap<>();
        query(CALLS, conversationIds, rs -> calls
            .computeIfAbsent(rs.getObject("conversation_id", UUID.class), id -> new ArrayList<>())
            .add(call(rs)));
        return calls;
    }

    private static LoggedMessage message(ResultSet rs) throws SQLException {
        ChatMessage message = new ChatMessage(rs.getString("role"), rs.getString("content"), rs.getString("name"),
                toolCalls(rs.getString("tool_calls")), rs.getString("tool_call_id"));
        return new LoggedMessage(rs.getInt("seq"), rs.getInt("step"), NullableColumns.instant(rs, "created_at"),
                message);
    }

    private static LoggedCall call(ResultSet rs) throws SQLException {
        Usage usage = new Usage(rs.getLong("input_uncached_tokens"), rs.getLong("cache_read_tokens"),
                rs.getLong("cache_write_tokens"), rs.getLong("output_tokens"), rs.getLong("reasoning_tokens"),
                rs.getBoolean("usage_estimated"));
        return new LoggedCall(rs.getInt("seq"), rs.getInt("step"), rs.getLong("latency_ms"),
                rs.getString("finish_reason"), usage, rs.getBigDecimal("cost_usd"), rs.getString("token_ids"),
                rs.getString("logprobs"));
    }

    /**
     * Tool calls from the JSON {@link ConversationLog#toolCallsJson} wrote; empty when there are none. Arguments
     * are the raw string the model sent; arguments logged as a JSON value other than a string are returned as
     * that value's JSON text.
     */
    public static List<ToolCall> toolCalls(String json) {
        JsonNode node = tree(json);
        if (node == null || !node.isArray()) {
            return List.of();
        }
        List<ToolCall> calls = new ArrayList<>(node.size());
        for (JsonNode call : node) {
            JsonNode function = call.path("function");
            JsonNode arguments = function.get("arguments");
            calls.add(new ToolCall(text(call.get("id")), text(function.get("name")),
                    arguments == null || arguments.isNull() ? null
                            : arguments.isString() ? arguments.asString() : JSON.writeValueAsString(arguments)));
        }
        return calls;
    }

    private static @Nullable JsonNode tree(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(json);
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.asString();
    }

    private void query(String sql, Collection<UUID> ids, RowCallbackHandler handler) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.execute(sql, (PreparedStatementCallback<Void>) ps -> {
            bind(ps, ids.toArray(UUID[]::new));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.processRow(rs);
                }
            }
            return null;
        });
    }

    private static void bind(PreparedStatement ps, UUID[] ids) throws SQLException {
        Array array = ps.getConnection().createArrayOf("uuid", ids);
        ps.setArray(1, array);
    }
}
