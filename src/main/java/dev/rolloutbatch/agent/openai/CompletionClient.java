package dev.rolloutbatch.agent.openai;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;

import com.openai.client.OpenAIClient;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIRetryableException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.rolloutbatch.agent.PolicyException;

/**
 * Sends one completion request with our own retries (the SDK's are off, so that every HTTP attempt is counted):
 * 408/409/429/5xx, timeouts, dropped connections and malformed bodies are retried with backoff that honours
 * {@code Retry-After}, up to {@code maxAttempts}; a context-length error or any other 4xx is final at once.
 */
final class CompletionClient {

    private static final Logger log = LoggerFactory.getLogger(CompletionClient.class);

    private static final int MAX_DETAIL = 400;

    private final OpenAIClient client;
    private final OpenAiEndpoint endpoint;
    private final EndpointLimits limits;
    private final Backoff backoff;
    private final int maxAttempts;

    CompletionClient(OpenAIClient client, OpenAiEndpoint endpoint, EndpointLimits limits, OpenAiProperties properties) {
        this.client = client;
        this.endpoint = endpoint;
        this.limits = limits;
        this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff(), properties.maxRetryAfter());
        this.maxAttempts = properties.maxAttempts();
    }

    /**
     * @param requestId the server's {@code x-request-id}, or null
     * @param attempts  HTTP attempts made, including the successful one
     */
    record Completion(ChatResponses.Reply reply, String requestId, int attempts, Instant startedAt, long latencyMs) {
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

    /** What one failed attempt tells the retry loop. */
    private record AttemptError(String description, PolicyException.Kind kind, boolean retryable,
            Function<String, String> headers) {
    }

    /**
     * @param estimatedTokens prompt and completion tokens expected, for the tokens-per-minute limit
     */
    Completion complete(ChatCompletionCreateParams params, long estimatedTokens) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        String lastRequestId = null;
        for (int attempt = 1;; attempt++) {
            AttemptError error;
            try {
                limits.acquire(estimatedTokens);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting for the endpoint's rate limit", PolicyException.Kind.UNREACHABLE,
                        startedAt, start, attempt - 1, lastRequestId);
            }
            try (HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse()
                .create(params)) {
                lastRequestId = header(response.headers()).apply("x-request-id");
                // The SDK has already turned non-2xx answers into exceptions; its typed parse() is skipped because
                // we read the body as a tree anyway (to keep server extras such as token ids), and reading it once
                // is a large share of the client's CPU at a thousand calls in flight.
                ChatResponses.Reply reply = ChatResponses.read(response.body().readAllBytes());
                if (reply.usage() != null) {
                    limits.adjust(reply.usage().total() - estimatedTokens);
                }
                return new Completion(reply, lastRequestId, attempt, startedAt, elapsedMs(start));
            }
            catch (BadRequestException ex) {
                lastRequestId = header(ex.headers()).apply("x-request-id");
                String detail = detail(ex);
                if (isContextLength(ex, detail)) {
                    throw failure("openai: context length exceeded (HTTP 400): " + detail,
                            PolicyException.Kind.CONTEXT_LENGTH, startedAt, start, attempt, lastRequestId);
                }
                error = new AttemptError("HTTP 400: " + detail, PolicyException.Kind.SERVER_ERROR, false,
                        header(ex.headers()));
            }
            catch (OpenAIServiceException ex) {
                lastRequestId = header(ex.headers()).apply("x-request-id");
                int status = ex.statusCode();
                boolean retryable = status == 408 || status == 409 || status == 429 || status >= 500;
                error = new AttemptError("HTTP " + status + ": " + detail(ex), kindOf(status), retryable,
                        header(ex.headers()));
            }
            catch (OpenAIInvalidDataException | ChatResponses.MalformedResponseException ex) {
                error = new AttemptError("malformed response: " + detail(ex), PolicyException.Kind.MALFORMED_RESPONSE, true,
                        ex instanceof OpenAIInvalidDataException ide ? header(ide.headers().orElse(null)) : null);
            }
            catch (IOException ex) {
                error = new AttemptError(isTimeout(ex) ? "timeout" : "connection error while reading the body: "
                        + detail(ex), PolicyException.Kind.UNREACHABLE, true, null);
            }
            catch (OpenAIIoException ex) {
                error = new AttemptError(isTimeout(ex) ? "timeout" : "connection error: " + detail(ex),
                        PolicyException.Kind.UNREACHABLE, true, header(ex.headers().orElse(null)));
            }
            catch (OpenAIRetryableException ex) {
                error = new AttemptError("retryable error: " + detail(ex), PolicyException.Kind.SERVER_ERROR, true, null);
            }
            catch (RuntimeException ex) {
                error = new AttemptError(ex.getClass().getSimpleName() + ": " + detail(ex),
                        PolicyException.Kind.MALFORMED_RESPONSE, false, null);
            }
            finally {
                limits.release();
            }
            if (!error.retryable() || attempt >= maxAttempts) {
                throw failure("openai: " + error.description() + (error.retryable() ? " (gave up after " + attempt
                        + (attempt == 1 ? " attempt)" : " attempts)") : ""), error.kind(), startedAt, start, attempt,
                        lastRequestId);
            }
            Duration wait = backoff.delay(attempt, error.headers(), Instant.now());
            log.info("OpenAI request attempt {}/{} failed ({}); retrying in {} ms", attempt, maxAttempts,
                    error.description(), wait.toMillis());
            try {
                Thread.sleep(wait);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting to retry after " + error.description(), error.kind(), startedAt,
                        start, attempt, lastRequestId);
            }
        }
    }

    private CompletionFailure failure(String message, PolicyException.Kind kind, Instant startedAt, long start,
            int attempts, String requestId) {
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
        message = endpoint.scrub(message == null ? ex.getClass().getSimpleName() : message);
        return message.length() > MAX_DETAIL ? message.substring(0, MAX_DETAIL) + "..." : message;
    }

    static boolean isContextLength(OpenAIServiceException ex, String detail) {
        if (ex.code().map("context_length_exceeded"::equals).orElse(false)) {
            return true;
        }
        String text = detail.toLowerCase(Locale.ROOT);
        return text.contains("context_length_exceeded") || text.contains("maximum context length")
                || text.contains("context length") || text.contains("context window")
                || text.contains("prompt is too long");
    }

    private static boolean isTimeout(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException
                    && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    /** Header lookup by case-insensitive name; null-safe. */
    private static Function<String, String> header(Headers headers) {
        return name -> {
            if (headers == null) {
                return null;
            }
            for (String candidate : headers.names()) {
                if (candidate.equalsIgnoreCase(name)) {
                    return headers.values(candidate).stream().findFirst().orElse(null);
                }
            }
            return null;
        };
    }

    private static long elapsedMs(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

}
