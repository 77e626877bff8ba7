package dev.rolloutbatch.api;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.rolloutbatch.conversation.ConversationLog;
import dev.rolloutbatch.conversation.ConversationReader;

import static dev.rolloutbatch.conversation.NullableColumns.instant;
import static dev.rolloutbatch.conversation.NullableColumns.money;

/**
 * Reads the conversation log. Totals are summed from the message and llm_call rows themselves, so they are right
 * while a conversation is still running too. Every value from a request is a bound parameter.
 */
@Repository
@Profile("serve")
class ConversationRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String SELECT = """
            SELECT c.id, c.episode_id, c.attempt, c.status, c.policy, c.model, c.protocol, c.sampling, c.started_at,
                c.ended_at,
                (SELECT COUNT(*) FROM message m WHERE m.conversation_id = c.id) AS messages,
                (SELECT COUNT(*) FROM llm_call l WHERE l.conversation_id = c.id) AS calls,
                (SELECT COALESCE(SUM(l.input_uncached_tokens), 0) FROM llm_call l WHERE l.conversation_id = c.id) AS iu,
                (SELECT COALESCE(SUM(l.cache_read_tokens), 0) FROM llm_call l WHERE l.conversation_id = c.id) AS cr,
                (SELECT COALESCE(SUM(l.cache_write_tokens), 0) FROM llm_call l WHERE l.conversation_id = c.id) AS cw,
                (SELECT COALESCE(SUM(l.output_tokens), 0) FROM llm_call l WHERE l.conversation_id = c.id) AS outp,
                (SELECT COALESCE(SUM(l.reasoning_tokens), 0) FROM llm_call l WHERE l.conversation_id = c.id) AS rs,
                (SELECT COUNT(*) > 0 FROM llm_call l WHERE l.conversation_id = c.id AND l.usage_estimated) AS est,
                (SELECT CASE WHEN COUNT(*) = COUNT(l.cost_usd) THEN COALESCE(SUM(l.cost_usd), 0) END
                    FROM llm_call l WHERE l.conversation_id = c.id) AS cost
            FROM conversation c WHERE 1 = 1""";

    private final JdbcTemplate jdbc;
    private final ConversationReader reader;

    ConversationRepository(JdbcTemplate jdbc, ConversationReader reader) {
        this.jdbc = jdbc;
        this.reader = reader;
    }

    Optional<ConversationView> find(UUID id) {
        return jdbc.query(SELECT + " AND c.id = ?", ConversationRepository::map, id).stream().findFirst();
    }

    ListPage<ConversationView> list(Long taskId, String model, Paging paging) {
        StringBuilder where = new StringBuilder();
        List<Object> args = new ArrayList<>();
        if (taskId != null) {
            where.append(" AND c.episode_id = ?");
            args.add(taskId);
        }
        if (model != null) {
            where.append(" AND c.model = ?");
            args.add(model);
        }
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM conversation c WHERE 1 = 1" + where, Long.class,
                args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(paging.limit());
        pageArgs.add(paging.offset());
        List<ConversationView> items = jdbc.query(SELECT + where
                + " ORDER BY c.started_at DESC, c.id LIMIT ? OFFSET ?", ConversationRepository::map,
                pageArgs.toArray());
        return new ListPage<>(items, total == null ? 0 : total, paging.limit(), paging.offset());
    }

    List<ConversationView> ofTask(long taskId) {
        return jdbc.query(SELECT + " AND c.episode_id = ? ORDER BY c.attempt", ConversationRepository::map, taskId);
    }

    boolean taskExists(long taskId) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE id = ?", Long.class, taskId);
        return n != null && n > 0;
    }

    ListPage<MessageView> messages(UUID conversationId, String role, Paging paging) {
        ConversationReader.MessagePage page = reader.messages(conversationId, role, paging.limit(), paging.offset());
        List<MessageView> items = page.messages().stream().map(m -> new MessageView(m.seq(), m.message().role(),
                m.message().content(), m.message().name(), json(ConversationLog.toolCallsJson(m.message().toolCalls())),
                m.message().toolCallId(), m.step(), m.createdAt())).toList();
        return new ListPage<>(items, page.total(), paging.limit(), paging.offset());
    }

    ConversationSummary summary() {
        Map<String, long[]> counts = new TreeMap<>(); // conversations, messages
        jdbc.query("SELECT model, COUNT(*) AS n FROM conversation GROUP BY model",
                rs -> {
                    counts.computeIfAbsent(rs.getString("model"), k -> new long[2])[0] = rs.getLong("n");
                });
        jdbc.query("""
                SELECT c.model, COUNT(*) AS n FROM message m JOIN conversation c ON c.id = m.conversation_id
                GROUP BY c.model""", rs -> {
            counts.computeIfAbsent(rs.getString("model"), k -> new long[2])[1] = rs.getLong("n");
        });
        Map<String, ModelSummary> calls = new LinkedHashMap<>();
        jdbc.query("""
                SELECT c.model, COUNT(*) AS calls, SUM(l.input_uncached_tokens) AS iu, SUM(l.cache_read_tokens) AS cr,
                    SUM(l.cache_write_tokens) AS cw, SUM(l.output_tokens) AS outp, SUM(l.reasoning_tokens) AS rs,
                    SUM(l.cost_usd) AS cost, COUNT(*) - COUNT(l.cost_usd) AS unpriced
                FROM llm_call l JOIN conversation c ON c.id = l.conversation_id GROUP BY c.model""", rs -> {
            String model = rs.getString("model");
            calls.put(model, new ModelSummary(model, 0, 0, rs.getLong("calls"), tokens(rs),
                    rs.getBigDecimal("cost"), rs.getLong("unpriced")));
        });
        List<ModelSummary> byModel = new ArrayList<>();
        long conversations = 0;
        long messages = 0;
        long llmCalls = 0;
        long unpriced = 0;
        long[] t = new long[5];
        BigDecimal cost = BigDecimal.ZERO;
        for (Map.Entry<String, long[]> entry : counts.entrySet()) {
            ModelSummary c = calls.getOrDefault(entry.getKey(),
                    new ModelSummary(entry.getKey(), 0, 0, 0, Tokens.of(0, 0, 0, 0, 0), null, 0));
            BigDecimal modelCost = c.totalCost() == null ? BigDecimal.ZERO : c.totalCost();
            byModel.add(new ModelSummary(entry.getKey(), entry.getValue()[0], entry.getValue()[1], c.llmCalls(),
                    c.tokens(), money(modelCost), c.unpricedCalls()));
            conversations += entry.getValue()[0];
            messages += entry.getValue()[1];
            llmCalls += c.llmCalls();
            unpriced += c.unpricedCalls();
            t[0] += c.tokens().inputUncached();
            t[1] += c.tokens().cacheRead();
            t[2] += c.tokens().cacheWrite();
            t[3] += c.tokens().output();
            t[4] += c.tokens().reasoning();
            cost = cost.add(modelCost);
        }
        ModelSummary total = new ModelSummary(null, conversations, messages, llmCalls,
                Tokens.of(t[0], t[1], t[2], t[3], t[4]), money(cost), unpriced);
        return new ConversationSummary(total, byModel, "USD");
    }

    private static ConversationView map(ResultSet rs, int row) throws SQLException {
        return new ConversationView(UUID.fromString(rs.getString("id")), rs.getLong("episode_id"),
                rs.getInt("attempt"), rs.getString("status"), rs.getString("policy"), rs.getString("model"),
                rs.getString("protocol"), json(rs.getString("sampling")), instant(rs, "started_at"),
                instant(rs, "ended_at"), rs.getLong("messages"), rs.getLong("calls"), tokens(rs),
                rs.getBoolean("est"), money(rs.getBigDecimal("cost")), "USD");
    }

    private static Tokens tokens(ResultSet rs) throws SQLException {
        return Tokens.of(rs.getLong("iu"), rs.getLong("cr"), rs.getLong("cw"), rs.getLong("outp"), rs.getLong("rs"));
    }

    private static JsonNode json(String text) {
        return text == null ? null : JSON.readTree(text);
    }
}
