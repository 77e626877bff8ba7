package dev.rolloutbatch.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.rolloutbatch.conversation.Timestamps.utc;

/**
 * Logs conversations, messages and LLM calls as they happen, without ever holding a transaction open across an
 * LLM or environment call.
 * <p>
 * Callers append from any thread; one writer thread inserts what was appended in short JDBC batch transactions
 * (every message is its own row, never a rewritten array). <b>Durability point:</b> a row is durable once the
 * writer's batch commits, normally within milliseconds; {@link #sync()} returns once everything appended before
 * it is committed. The episode runner calls it before it records an episode's result, so a completed episode
 * always has all its messages; a process killed mid-episode may lose the last rows of that unfinished attempt,
 * which is aborted and run again anyway.
 */
@Component
public class ConversationLog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConversationLog.class);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String INSERT_CONVERSATION = """
            INSERT INTO conversation (id, episode_id, attempt, status, policy, model, protocol, sampling, tools,
                started_at) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)""";

    private static final String INSERT_MESSAGE = """
            INSERT INTO message (conversation_id, seq, role, content, name, tool_calls, tool_call_id, step,
                created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final String INSERT_CALL = """
            INSERT INTO llm_call (conversation_id, seq, step, request_id, model_requested, model_reported,
                started_at, latency_ms, finish_reason, attempts, input_uncached_tokens, cache_read_tokens,
                cache_write_tokens, output_tokens, reasoning_tokens, usage_estimated, raw_usage,
                cost_input_uncached, cost_cache_read, cost_cache_write, cost_output, cost_usd, price_version,
                token_ids, logprobs, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * Totals are summed from the rows themselves, so they always equal what was logged; the calls' in one pass
     * over them. An attempt abandoned meanwhile (marked aborted by a stopping or restarting run) stays aborted.
     */
    private static final String TOTALS = """
                total_messages = (SELECT COUNT(*) FROM message m WHERE m.conversation_id = conversation.id),
                (llm_calls, input_uncached_tokens, cache_read_tokens, cache_write_tokens, output_tokens,
                    reasoning_tokens, usage_estimated, cost_usd) = (
                SELECT COUNT(*), COALESCE(SUM(input_uncached_tokens), 0), COALESCE(SUM(cache_read_tokens), 0),
                    COALESCE(SUM(cache_write_tokens), 0), COALESCE(SUM(output_tokens), 0),
                    COALESCE(SUM(reasoning_tokens), 0), COUNT(CASE WHEN c.usage_estimated THEN 1 END) > 0,
                    CASE WHEN COUNT(*) = COUNT(c.cost_usd) THEN COALESCE(SUM(c.cost_usd), 0) END
                FROM llm_call c WHERE c.conversation_id = conversation.id)
            """;

    private static final String CLOSE_CONVERSATION = "UPDATE conversation SET status = ?, ended_at = ?,\n" + TOTALS
            + "WHERE id = ? AND status <> 'aborted'";

    /** A dead process's attempts: aborted, with the totals (and cost) of what they logged before it died. */
    private static final String ABORT_UNFINISHED = "UPDATE conversation SET status = 'aborted',"
            + " ended_at = COALESCE(ended_at, ?),\n" + TOTALS + "WHERE episode_id = ? AND status <> 'aborted'";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Pricing pricing;
    private final LoggingProperties properties;
    private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private volatile Thread writer;
    private volatile boolean running;
    private volatile ConversationLogException broken;

    public ConversationLog(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, Pricing pricing,
            LoggingProperties properties) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.pricing = pricing;
        this.properties = properties;
    }

    public void open(ConversationStart start) {
        enqueue(new Open(start));
    }

    public void append(UUID conversationId, int seq, int step, ChatMessage message, Instant at) {
        enqueue(new Append(conversationId, seq, step, message, at));
    }

    /** Prices the call by the table and logs it; returns the cost (empty for a model without a price). */
    public Optional<Cost> recordCall(UUID conversationId, int seq, int step, LlmCallRecord call) {
        Optional<Cost> cost = pricing.price(call.modelRequested(), call.usage());
        enqueue(new Call(conversationId, seq, step, call, cost.orElse(null)));
        return cost;
    }

    public void close(UUID conversationId, ConversationStatus status, Instant endedAt) {
        enqueue(new Close(conversationId, status, endedAt));
    }

    /**
     * Marks every conversation of these episodes aborted (even one that closed, when the episode's result was never
     * recorded) and sums its totals from its rows, so that an attempt cut short by a dead process keeps its tokens
     * and cost. Called when no process runs these episodes.
     */
    public void abortUnfinished(List<Long> episodeIds, Instant at) {
        if (!episodeIds.isEmpty()) {
            jdbc.batchUpdate(ABORT_UNFINISHED, episodeIds.stream().map(id -> new Object[] { utc(at), id }).toList());
        }
    }

    /**
     * Marks the running conversations of these episodes aborted (a closed one keeps its status). Called when no
     * process runs these episodes.
     */
    public void abortRunning(List<Long> episodeIds, Instant at) {
        if (!episodeIds.isEmpty()) {
            jdbc.batchUpdate("""
                    UPDATE conversation SET status = ?, ended_at = COALESCE(ended_at, ?)
                    WHERE episode_id = ? AND status = ?""", episodeIds.stream().map(id -> new Object[] {
                            ConversationStatus.ABORTED.id(), utc(at), id, ConversationStatus.RUNNING.id() })
                    .toList());
        }
    }

    /**
     * Marks one conversation aborted at once (not through the queue): an attempt its process abandoned, whose
     * episode runs again.
     */
    public void abort(UUID conversationId) {
        jdbc.update("UPDATE conversation SET status = ? WHERE id = ?", ConversationStatus.ABORTED.id(),
                conversationId);
    }

    /** Blocks until everything appended before this call is committed. */
    public void sync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Sync(done));
        try {
            done.get();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ConversationLogException("interrupted while waiting for the conversation log", ex);
        }
        catch (ExecutionException ex) {
            throw ex.getCause() instanceof ConversationLogException cle ? cle
                    : new ConversationLogException("conversation log failed", ex.getCause());
        }
    }

    private void enqueue(Write write) {
        ConversationLogException failure = broken;
        if (failure != null) {
            throw failure;
        }
        ensureWriter();
        queue.add(write);
    }

    private synchronized void ensureWriter() {
        if (writer == null || !writer.isAlive()) {
            running = true;
            writer = Thread.ofPlatform().name("conversation-log-writer").daemon().start(this::drain);
        }
    }

    private void drain() {
        List<Write> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Write first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, properties.maxBatch() - 1);
                writeWithRetry(batch);
                batch.forEach(w -> {
                    if (w instanceof Sync sync) {
                        sync.done().complete(null);
                    }
                });
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (ConversationLogException ex) {
                broken = ex;
                fail(batch, ex);
                List<Write> rest = new ArrayList<>();
                queue.drainTo(rest);
                fail(rest, ex);
                return;
            }
            finally {
                batch.clear();
            }
        }
    }

    private static void fail(List<Write> writes, ConversationLogException ex) {
        writes.forEach(w -> {
            if (w instanceof Sync sync) {
                sync.done().completeExceptionally(ex);
            }
        });
    }

    private void writeWithRetry(List<Write> batch) throws InterruptedException {
        long deadline = System.nanoTime() + properties.maxOutage().toNanos();
        long backoffMs = 100;
        for (int attempt = 1;; attempt++) {
            try {
                transactions.executeWithoutResult(status -> write(batch));
                if (attempt > 1) {
                    log.info("Conversation log writes resumed after {} attempts", attempt);
                }
                return;
            }
            catch (DuplicateKeyException ex) {
                if (attempt > 1) {
                    // The previous attempt committed but its acknowledgement was lost with the connection.
                    return;
                }
                throw new ConversationLogException("conversation log rejected a duplicate row", ex);
            }
            catch (RuntimeException ex) {
                if (System.nanoTime() > deadline) {
                    throw new ConversationLogException("cannot write to the database for "
                            + properties.maxOutage().toSeconds() + "s: " + ex.getMessage(), ex);
                }
                log.warn("Conversation log write failed (attempt {}), retrying: {}", attempt, ex.getMessage());
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    private void write(List<Write> batch) {
        List<Object[]> opens = new ArrayList<>();
        List<Object[]> messages = new ArrayList<>();
        List<Object[]> calls = new ArrayList<>();
        List<Object[]> closes = new ArrayList<>();
        for (Write write : batch) {
            switch (write) {
                case Open(ConversationStart s) -> opens.add(new Object[] { s.id(), s.episodeId(), s.attempt(),
                        s.policy(), s.model(), s.protocol(), s.sampling(), s.tools(), utc(s.startedAt()) });
                case Append(UUID id, int seq, int step, ChatMessage m, Instant at) -> messages.add(new Object[] { id,
                        seq, m.role(), m.content(), m.name(), toolCallsJson(m.toolCalls()), m.toolCallId(), step,
                        utc(at) });
                case Call(UUID id, int seq, int step, LlmCallRecord c, Cost cost) -> calls.add(callRow(id, seq, step,
                        c, cost));
                case Close(UUID id, ConversationStatus status, Instant at) -> closes.add(new Object[] { status.id(),
                        utc(at), id });
                case Sync sync -> {
                }
            }
        }
        // Parents before children, and totals after everything they sum.
        batch(INSERT_CONVERSATION, opens);
        batch(INSERT_MESSAGE, messages);
        batch(INSERT_CALL, calls);
        batch(CLOSE_CONVERSATION, closes);
    }

    private void batch(String sql, List<Object[]> rows) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows);
        }
    }

    private static Object[] callRow(UUID id, int seq, int step, LlmCallRecord c, Cost cost) {
        Usage u = c.usage();
        return new Object[] { id, seq, step, c.requestId(), c.modelRequested(), c.modelReported(),
                utc(c.startedAt()), c.latencyMs(), c.finishReason(), c.attempts(), u.inputUncached(), u.cacheRead(),
                u.cacheWrite(), u.output(), u.reasoning(), u.estimated(), c.rawUsage(),
                cost == null ? null : cost.inputUncached(), cost == null ? null : cost.cacheRead(),
                cost == null ? null : cost.cacheWrite(), cost == null ? null : cost.output(),
                cost == null ? null : cost.total(), cost == null ? null : cost.priceVersion(), c.tokenIds(),
                c.logprobs(), c.error() };
    }

    /** Tool calls in OpenAI's shape, arguments kept as the raw JSON string the model sent. */
    public static String toolCallsJson(List<ToolCall> toolCalls) {
        if (toolCalls.isEmpty()) {
            return null;
        }
        ArrayNode array = JSON.createArrayNode();
        for (ToolCall call : toolCalls) {
            ObjectNode node = array.addObject().put("id", call.id()).put("type", "function");
            node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        }
        return JSON.writeValueAsString(array);
    }

    @Override
    public void start() {
        running = true;
    }

    /** Drains what is queued before the application context closes. */
    @Override
    public void stop() {
        running = false;
        Thread current = writer;
        if (current != null) {
            try {
                current.join(properties.maxOutage().toMillis() + 1_000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private sealed interface Write permits Open, Append, Call, Close, Sync {
    }

    private record Open(ConversationStart start) implements Write {
    }

    private record Append(UUID conversationId, int seq, int step, ChatMessage message, Instant at) implements Write {
    }

    private record Call(UUID conversationId, int seq, int step, LlmCallRecord call, Cost cost) implements Write {
    }

    private record Close(UUID conversationId, ConversationStatus status, Instant at) implements Write {
    }

    private record Sync(CompletableFuture<Void> done) implements Write {
    }
}
