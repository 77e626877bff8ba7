package dev.rolloutbatch.agent.openai;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.rolloutbatch.agent.PolicyException;

/**
 * Sends one completion request with our own retries, every HTTP attempt counted: 408/409/429/5xx, timeouts,
 * dropped connections and malformed bodies are retried with backoff that honours {@code Retry-After}, up to
 * {@code maxAttempts}; a context-length error or any other 4xx is final at once.
 */
final class CompletionClient {

    private static final Logger log = LoggerFactory.getLogger(CompletionClient.class);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final int MAX_DETAIL = 400;

    private final ChatTransport transport;
    private final OpenAiEndpoint endpoint;
    private final EndpointLimits limits;
    private final Backoff backoff;
    private final int maxAttempts;

    CompletionClient(ChatTransport transport, OpenAiEndpoint endpoint, EndpointLimits limits,
            OpenAiProperties properties) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.limits = limits;
        this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff(), properties.maxRetryAfter());
        this.maxAttempts = properties.maxAttempts();
    }

    /**
     * @param requestId the server's {@code x-request-id}, or null
     * @param attempts  HTTP attempts made, including the successful one
     */
    record Completion(ChatResponses.Reply reply, @Nullable String requestId, int attempts, Instant startedAt, long latencyMs) {
    }

    /** The request could not be completed; the message names the last error and never holds the API key. */
    static final class CompletionFailure extends RuntimeException {

        private final transient Instant startedAt;
        private final long latencyMs;
        private final int attempts;
        private final String requestId;
        private final PolicyException.Kind kind;

        CompletionFailure(String message, PolicyException.Kind kind, Instant startedAt, long latencyMs, int attempts,
                String requestId) {
            super(message);
            this.kind = kind;
            this.startedAt = startedAt;
            this.latencyMs = latencyMs;
            this.attempts = attempts;
            this.requestId = requestId;
        }

        Instant startedAt() {
            return startedAt;
        }

        long latencyMs() {
            return latencyMs;
        }

        int attempts() {
            return attempts;
        }

        String requestId() {
            return requestId;
        }

        PolicyException.Kind kind() {
            return kind;
        }
    }

    /**
     * What one failed attempt tells the retry loop.
     *
     * @param headers the answer's headers ({@code Retry-After}), or null when there was no answer
     */
    private record AttemptError(String description, PolicyException.Kind kind, boolean retryable,
            @Nullable Function<String, @Nullable String> headers) {

        static AttemptError finalError(String description, PolicyException.Kind kind) {
            return new AttemptError(description, kind, false, null);
        }
    }

    /** One attempt's outcome: a reply, or an error; and the server's request id when it answered. */
    private record Attempt(ChatResponses.@Nullable Reply reply, @Nullable AttemptError error,
            @Nullable String requestId) {
    }

    /**
     * @param body            the request, as {@link ChatRequestBody} builds it
     * @param estimatedTokens prompt and completion tokens expected, for the tokens-per-minute limit
     */
    Completion complete(URI uri, ChatRequestBody.Parts body, long estimatedTokens) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        String requestId = null;
        for (int attempt = 1;; attempt++) {
            acquire(estimatedTokens, startedAt, start, attempt - 1, requestId);
            Attempt outcome;
            try {
                outcome = send(uri, body);
            }
            finally {
                limits.release();
            }
            if (outcome.requestId() != null) {
                requestId = outcome.requestId();
            }
            if (outcome.reply() != null) {
                if (outcome.reply().usage() != null) {
                    limits.adjust(outcome.reply().usage().total() - estimatedTokens);
                }
                return new Completion(outcome.reply(), requestId, attempt, startedAt, elapsedMs(start));
            }
            AttemptError error = outcome.error();
            if (!error.retryable() || attempt >= maxAttempts) {
                throw failure("openai: " + error.description() + (error.retryable() ? " (gave up after " + attempt
                        + (attempt == 1 ? " attempt)" : " attempts)") : ""), error.kind(), startedAt, start, attempt,
                        requestId);
            }
            waitBeforeRetry(attempt, error, startedAt, start, requestId);
        }
    }

    private void acquire(long estimatedTokens, Instant startedAt, long start, int attempts, @Nullable String requestId) {
        try {
            limits.acquire(estimatedTokens);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for the endpoint's rate limit", PolicyException.Kind.UNREACHABLE,
                    startedAt, start, attempts, requestId);
        }
    }

    private void waitBeforeRetry(int attempt, AttemptError error, Instant startedAt, long start, String requestId) {
        Duration wait = backoff.delay(attempt, error.headers(), Instant.now());
        log.info("OpenAI request attempt {}/{} failed ({}); retrying in {} ms", attempt, maxAttempts,
                error.description(), wait.toMillis());
        try {
            Thread.sleep(wait);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting to retry after " + error.description(), error.kind(), startedAt,
                    start, attempt, requestId);
        }
    }

    /** One HTTP attempt, classified. */
    private Attempt send(URI uri, ChatRequestBody.Parts body) {
        ChatTransport.Exchange exchange;
        try {
            exchange = transport.send(uri, body);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Attempt(null, AttemptError.finalError("interrupted while waiting for the answer",
                    PolicyException.Kind.UNREACHABLE), null);
        }
        catch (IOException ex) {
            return new Attempt(null, new AttemptError(isTimeout(ex) ? "timeout" : "connection error: " + detail(ex),
                    PolicyException.Kind.UNREACHABLE, true, null), null);
        }
        catch (RuntimeException ex) {
            // The request cannot be made at all (e.g. a base URL the HTTP client refuses): retrying cannot help.
            return new Attempt(null, AttemptError.finalError(ex.getClass().getSimpleName() + ": " + detail(ex),
                    PolicyException.Kind.MALFORMED_RESPONSE), null);
        }
        String requestId = exchange.header("x-request-id");
        if (exchange.status() / 100 != 2) {
            return new Attempt(null, statusError(exchange), requestId);
        }
        try {
            return new Attempt(ChatResponses.read(exchange.body()), null, requestId);
        }
        catch (ChatResponses.MalformedResponseException ex) {
            return new Attempt(null, new AttemptError("malformed response: " + detail(ex),
                    PolicyException.Kind.MALFORMED_RESPONSE, true, exchange::header), requestId);
        }
    }

    /** A non-2xx answer: the status decides whether it is retried; the body's error says what it was. */
    private AttemptError statusError(ChatTransport.Exchange exchange) {
        int status = exchange.status();
        ErrorBody error = ErrorBody.of(exchange.body());
        String detail = truncate(endpoint.scrub(error.message()));
        if (status == 400 && isContextLength(error.code(), detail)) {
            return AttemptError.finalError("context length exceeded (HTTP 400): " + detail,
                    PolicyException.Kind.CONTEXT_LENGTH);
        }
        boolean retryable = status == 408 || status == 409 || status == 429 || status >= 500;
        return new AttemptError("HTTP " + status + ": " + detail, kindOf(status), retryable, exchange::header);
    }

    /**
     * The {@code error} object OpenAI-compatible servers answer with: its code, and its message (or the body as
     * text when it is not such an object).
     */
    private record ErrorBody(String code, String message) {

        static ErrorBody of(byte[] body) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            try {
                JsonNode error = JSON.readTree(text).path("error");
                if (error.isObject()) {
                    JsonNode message = error.path("message");
                    JsonNode code = error.path("code");
                    return new ErrorBody(code.isString() ? code.asString() : null,
                            message.isString() ? message.asString() : error.toString());
                }
            }
            catch (RuntimeException ex) {
                // Not JSON: the text itself is the detail.
            }
            return new ErrorBody(null, text.isEmpty() ? "(empty body)" : text);
        }
    }

    private CompletionFailure failure(String message, PolicyException.Kind kind, Instant startedAt, long start,
            int attempts, @Nullable String requestId) {
        return new CompletionFailure(endpoint.scrub(message), kind, startedAt, elapsedMs(start), attempts, requestId);
    }

    /** 404/405: nothing answers the Chat Completions path there, so the URL is not an OpenAI-compatible endpoint. */
    static PolicyException.Kind kindOf(int status) {
        return switch (status) {
            case 401, 403 -> PolicyException.Kind.AUTH;
            case 402, 429 -> PolicyException.Kind.QUOTA;
            case 404, 405 -> PolicyException.Kind.MALFORMED_RESPONSE;
            default -> PolicyException.Kind.SERVER_ERROR;
        };
    }

    private String detail(Throwable ex) {
        String message = ex.getMessage();
        if (message == null && ex.getCause() != null) {
            message = ex.getCause().toString();
        }
        return truncate(endpoint.scrub(message == null ? ex.getClass().getSimpleName() : message));
    }

    private static String truncate(String message) {
        return message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "..." : message;
    }

    static boolean isContextLength(String code, String detail) {
        if ("context_length_exceeded".equals(code)) {
            return true;
        }
        String text = detail.toLowerCase(Locale.ROOT);
        return text.contains("context_length_exceeded") || text.contains("maximum context length")
                || text.contains("context length") || text.contains("context window")
                || text.contains("prompt is too long");
    }

    private static boolean isTimeout(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException
                    || t instanceof InterruptedIOException
                            && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    private static long elapsedMs(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
