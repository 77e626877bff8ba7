package dev.rolloutbatch.agent.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local server speaking the OpenAI Chat Completions protocol ({@code POST /v1/chat/completions}) on a random
 * loopback port, for tests and benchmarks: it answers from a script of {@link Reply replies} (content or tool
 * calls with usage, logprobs and vLLM token ids; or faults: 429 with Retry-After, 5xx, slow replies, dropped
 * connections, malformed JSON, context-length 400), records every request, and sums the usage it served.
 * <pre>
 * try (OpenAiProtocolFixture llm = OpenAiProtocolFixture.start()) {
 *     llm.enqueue(Reply.rateLimited(Duration.ofSeconds(1)), Reply.content("```\nsubmit(\"Yes\")\n```"));
 *     ... point the client at llm.baseUrl() ...
 *     assertThat(llm.requests()).hasSize(2);
 * }
 * </pre>
 * When the script is empty it asks the {@link #responder(Function) responder}, if any (a reply computed from the
 * request, e.g. per conversation), else answers with the {@link #fallback(Reply) fallback} (by default a 500 saying
 * so). For benchmarks, {@link #recordRequests(boolean) recordRequests(false)} keeps only counts.
 */
public final class OpenAiProtocolFixture implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Deque<Reply> script = new ConcurrentLinkedDeque<>();
    // Queues, not copy-on-write lists: a benchmark sends tens of thousands of requests.
    private final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    private final Queue<ServedUsage> served = new ConcurrentLinkedQueue<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private static final Reply DEFAULT_FALLBACK = Reply.status(500,
            "{\"error\":{\"message\":\"fixture script exhausted\"}}");

    private volatile Reply fallback = DEFAULT_FALLBACK;
    private volatile Duration latency = Duration.ZERO;
    private volatile Function<RecordedRequest, Reply> responder;
    private volatile boolean recordRequests = true;

    static {
        // The JDK server closes a connection after its response once 200 others are idle (OkHttp then fails the next
        // request on it): a benchmark keeps up to thousands of keep-alive connections. Read once, at first use.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        }
    }

    /** Connections waiting to be accepted: the default (50) drops the SYNs of a burst of new connections. */
    private static final int BACKLOG = 4096;

    private OpenAiProtocolFixture() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static OpenAiProtocolFixture start() {
        try {
            return new OpenAiProtocolFixture();
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot start the OpenAI fixture", ex);
        }
    }

    /** The base URL to give the client, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort()
                + "/v1";
    }

    /** Appends replies to the script; each request consumes one. */
    public OpenAiProtocolFixture enqueue(Reply... replies) {
        Collections.addAll(script, replies);
        return this;
    }

    /** What to answer once the script is empty. */
    public OpenAiProtocolFixture fallback(Reply reply) {
        this.fallback = reply;
        return this;
    }

    /**
     * Computes the reply to a request once the script is empty, e.g. from the request's messages; called from many
     * threads at once. Null: the fallback answers.
     */
    public OpenAiProtocolFixture responder(Function<RecordedRequest, Reply> responder) {
        this.responder = responder;
        return this;
    }

    /** Whether {@link #requests()} keeps every request (the default); counts are kept either way. */
    public OpenAiProtocolFixture recordRequests(boolean record) {
        this.recordRequests = record;
        return this;
    }

    /** A fixed delay before every answer (on top of a {@link Reply#slow slow} reply's own). */
    public OpenAiProtocolFixture latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return received.get();
    }

    /** The usage of every completion served with a usage object, in order. */
    public List<ServedUsage> servedUsage() {
        return List.copyOf(served);
    }

    /** The sum of {@link #servedUsage()}. */
    public ServedUsage totalServedUsage() {
        ServedUsage total = new ServedUsage(0, 0, 0, 0, 0);
        for (ServedUsage usage : served) {
            total = total.plus(usage);
        }
        return total;
    }

    /**
     * Forgets the script, the recorded requests and the served usage, and restores the default fallback and zero
     * latency, so that one fixture can serve several tests (e.g. a static one shared by a Spring context).
     */
    public OpenAiProtocolFixture reset() {
        script.clear();
        requests.clear();
        served.clear();
        received.set(0);
        maxInFlight.set(0);
        fallback = DEFAULT_FALLBACK;
        latency = Duration.ZERO;
        responder = null;
        recordRequests = true;
        return this;
    }

    /** The most requests that were being answered at the same time. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    public int remainingScript() {
        return script.size();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            serve(exchange);
        }
        finally {
            inFlight.decrementAndGet();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                headers, new String(body, StandardCharsets.UTF_8), Instant.now());
        if (recordRequests) {
            requests.add(request);
        }
        received.incrementAndGet();
        int n = counter.incrementAndGet();
        Reply reply = script.poll();
        Function<RecordedRequest, Reply> computed = responder;
        if (reply == null && computed != null) {
            reply = computed.apply(request);
        }
        if (reply == null) {
            reply = fallback;
        }
        pause(latency);
        if (!"POST".equals(request.method()) || !request.path().endsWith("/chat/completions")) {
            send(exchange, 404, Map.of(), "{\"error\":{\"message\":\"not found\"}}");
            return;
        }
        answer(exchange, request, reply, n);
    }

    private void answer(HttpExchange exchange, RecordedRequest request, Reply reply, int n) throws IOException {
        switch (reply) {
            case Slow(Duration delay, Reply then) -> {
                pause(delay);
                try {
                    answer(exchange, request, then, n);
                }
                catch (IOException clientGone) {
                    exchange.close();
                }
            }
            case Status(int code, Map<String, String> headers, String body) -> send(exchange, code, headers, body);
            case Drop drop -> {
                // No status line: the client sees the connection closed under it.
                throw new IOException("fixture: dropping the connection");
            }
            case Malformed(String body) -> send(exchange, 200, Map.of(), body);
            case Truncated truncated -> {
                // Promises the whole completion, sends half of it, then closes the connection.
                byte[] bytes = completionJson(request, Reply.content("cut short").withoutUsage(), n).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                OutputStream out = exchange.getResponseBody();
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                exchange.close();
            }
            case Completion completion -> send(exchange, 200, Map.of("x-request-id", "req-fixture-" + n),
                    completionJson(request, completion, n));
        }
    }

    private String completionJson(RecordedRequest request, Completion completion, int n) {
        JsonNode sent = request.json();
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fixture-" + n).put("object", "chat.completion").put("created", 1_764_000_000L);
        root.put("model", completion.reportedModel() != null ? completion.reportedModel()
                : sent.path("model").asString("unknown") + "-fixture");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (completion.content() != null) {
            message.put("content", completion.content());
        }
        else {
            message.putNull("content");
        }
        if (!completion.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (FixtureToolCall call : completion.toolCalls()) {
                calls.addObject().put("id", call.id()).put("type", "function").putObject("function")
                    .put("name", call.name()).put("arguments", call.arguments());
            }
        }
        choice.put("finish_reason", completion.finishReason() != null ? completion.finishReason()
                : completion.toolCalls().isEmpty() ? "stop" : "tool_calls");
        List<String> tokens = tokens(completion);
        if (sent.path("logprobs").asBoolean(false)) {
            ArrayNode content = choice.putObject("logprobs").putArray("content");
            for (int i = 0; i < tokens.size(); i++) {
                ObjectNode token = content.addObject().put("token", tokens.get(i)).put("logprob", -0.125 * (i + 1));
                ArrayNode bytes = token.putArray("bytes");
                for (byte b : tokens.get(i).getBytes(StandardCharsets.UTF_8)) {
                    bytes.add(b & 0xff);
                }
                token.putArray("top_logprobs");
            }
        }
        else {
            choice.putNull("logprobs");
        }
        if (sent.path("return_token_ids").asBoolean(false)) {
            ArrayNode prompt = root.putArray("prompt_token_ids");
            for (int i = 0; i < completion.promptTokens(); i++) {
                prompt.add(1000 + i);
            }
            ArrayNode response = choice.putArray("token_ids");
            for (int i = 0; i < tokens.size(); i++) {
                response.add(5000 + i);
            }
        }
        if (completion.rawUsage() != null) {
            root.set("usage", JSON.readTree(completion.rawUsage()));
        }
        else if (completion.usage()) {
            ObjectNode usage = root.putObject("usage");
            usage.put("prompt_tokens", completion.promptTokens())
                .put("completion_tokens", completion.completionTokens())
                .put("total_tokens", completion.promptTokens() + completion.completionTokens());
            usage.putObject("prompt_tokens_details").put("cached_tokens", completion.cachedTokens());
            usage.putObject("completion_tokens_details").put("reasoning_tokens", completion.reasoningTokens());
            served.add(new ServedUsage(completion.promptTokens(), completion.cachedTokens(),
                    completion.completionTokens(), completion.reasoningTokens(), 1));
        }
        return JSON.writeValueAsString(root);
    }

    private static List<String> tokens(Completion completion) {
        List<String> tokens = new ArrayList<>();
        String text = completion.content() != null ? completion.content()
                : completion.toolCalls().isEmpty() ? "" : completion.toolCalls().getFirst().arguments();
        for (String piece : text.split("(?<=\\s)")) {
            if (!piece.isEmpty()) {
                tokens.add(piece);
            }
        }
        return tokens;
    }

    private static void send(HttpExchange exchange, int code, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void pause(Duration duration) {
        if (!duration.isZero()) {
            try {
                Thread.sleep(duration);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One HTTP request as received. Header names are lower case. */
    public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body,
            java.time.Instant receivedAt) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        public JsonNode json() {
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        }
    }

    /** Usage the fixture reported, OpenAI-style (cached inside prompt, reasoning inside completion). */
    public record ServedUsage(long promptTokens, long cachedTokens, long completionTokens, long reasoningTokens,
            int completions) {

        ServedUsage plus(ServedUsage other) {
            return new ServedUsage(promptTokens + other.promptTokens, cachedTokens + other.cachedTokens,
                    completionTokens + other.completionTokens, reasoningTokens + other.reasoningTokens,
                    completions + other.completions);
        }

        public long uncachedInput() {
            return promptTokens - cachedTokens;
        }
    }

    public record FixtureToolCall(String id, String name, String arguments) {
    }

    /** What the fixture answers to one request. */
    public sealed interface Reply permits Completion, Status, Slow, Drop, Malformed, Truncated {

        /** An assistant message with this content and the default usage (prompt 120, cached 20, completion 30, reasoning 5). */
        static Completion content(String content) {
            return new Completion(content, List.of(), 120, 20, 30, 5, true, null, null, null);
        }

        /** An assistant message calling one tool, arguments as raw JSON. */
        static Completion toolCall(String id, String name, String arguments) {
            return new Completion(null, List.of(new FixtureToolCall(id, name, arguments)), 120, 20, 30, 5, true, null,
                    null, null);
        }

        static Completion toolCalls(List<FixtureToolCall> calls) {
            return new Completion(null, calls, 120, 20, 30, 5, true, null, null, null);
        }

        static Status status(int code, String body) {
            return new Status(code, Map.of(), body);
        }

        /** 429 with {@code Retry-After} in whole seconds. */
        static Status rateLimited(Duration retryAfter) {
            return new Status(429, Map.of("Retry-After", Long.toString(retryAfter.toSeconds())),
                    "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
        }

        /** 429 with OpenAI's {@code retry-after-ms}. */
        static Status rateLimitedMs(long millis) {
            return new Status(429, Map.of("retry-after-ms", Long.toString(millis)),
                    "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}");
        }

        static Status serverError() {
            return status(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
        }

        static Status unavailable() {
            return status(503, "{\"error\":{\"message\":\"Service Unavailable\",\"type\":\"server_error\"}}");
        }

        /** OpenAI's 400 for a prompt longer than the model's context. */
        static Status contextLengthExceeded() {
            return status(400, "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However,"
                    + " your messages resulted in 9000 tokens.\",\"type\":\"invalid_request_error\",\"param\":"
                    + "\"messages\",\"code\":\"context_length_exceeded\"}}");
        }

        static Slow slow(Duration delay, Reply then) {
            return new Slow(delay, then);
        }

        static Drop drop() {
            return new Drop();
        }

        /**
         * 200 with a Content-Length for a whole completion of which only half is sent before the connection closes
         * (its usage is not counted as served: the client never sees it).
         */
        static Truncated truncated() {
            return new Truncated();
        }

        /** 200 with a body cut in the middle of the JSON. */
        static Malformed malformed() {
            return new Malformed("{\"id\":\"chatcmpl-broken\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"mess");
        }
    }

    /**
     * @param rawUsage when set, sent as the usage object verbatim (e.g. Anthropic-style gateway fields) and not
     *                 counted in {@link #servedUsage()}
     */
    public record Completion(String content, List<FixtureToolCall> toolCalls, long promptTokens, long cachedTokens,
            long completionTokens, long reasoningTokens, boolean usage, String finishReason, String reportedModel,
            String rawUsage) implements Reply {

        public Completion withUsage(long prompt, long cached, long completion, long reasoning) {
            return new Completion(content, toolCalls, prompt, cached, completion, reasoning, true, finishReason,
                    reportedModel, rawUsage);
        }

        public Completion withoutUsage() {
            return new Completion(content, toolCalls, promptTokens, cachedTokens, completionTokens, reasoningTokens,
                    false, finishReason, reportedModel, rawUsage);
        }

        public Completion withRawUsage(String json) {
            return new Completion(content, toolCalls, promptTokens, cachedTokens, completionTokens, reasoningTokens,
                    false, finishReason, reportedModel, json);
        }

        public Completion withFinishReason(String reason) {
            return new Completion(content, toolCalls, promptTokens, cachedTokens, completionTokens, reasoningTokens,
                    usage, reason, reportedModel, rawUsage);
        }

        public Completion reportingModel(String model) {
            return new Completion(content, toolCalls, promptTokens, cachedTokens, completionTokens, reasoningTokens,
                    usage, finishReason, model, rawUsage);
        }
    }

    public record Status(int code, Map<String, String> headers, String body) implements Reply {
    }

    public record Slow(Duration delay, Reply then) implements Reply {
    }

    public record Drop() implements Reply {
    }

    public record Malformed(String body) implements Reply {
    }

    public record Truncated() implements Reply {
    }
}
