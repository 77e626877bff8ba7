package dev.rolloutbatch.agent.openai;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;

/**
 * The client-side limits of one endpoint: requests in flight (a fair semaphore), and optionally requests and
 * tokens per rolling minute. Waiting happens here, before a request is sent, so that a run of many episodes
 * slows down instead of collecting 429s.
 */
final class EndpointLimits {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final long windowNanos;

    private final Semaphore inFlight;
    private final int requestsPerMinute;
    private final long tokensPerMinute;
    private final Deque<long[]> window = new ArrayDeque<>(); // {nanoTime, tokens}
    private long windowTokens;

    EndpointLimits(int maxConcurrency, int requestsPerMinute, long tokensPerMinute) {
        this(maxConcurrency, requestsPerMinute, tokensPerMinute, MINUTE_NANOS);
    }

    /** With a shorter window than a minute, for tests. */
    EndpointLimits(int maxConcurrency, int requestsPerMinute, long tokensPerMinute, long windowNanos) {
        this.windowNanos = windowNanos;
        this.inFlight = new Semaphore(maxConcurrency, true);
        this.requestsPerMinute = requestsPerMinute;
        this.tokensPerMinute = tokensPerMinute;
    }

    /** Blocks until a request estimated at {@code tokens} may be sent; the caller must {@link #release()}. */
    void acquire(long tokens) throws InterruptedException {
        waitForRate(tokens);
        inFlight.acquire();
    }

    void release() {
        inFlight.release();
    }

    /** Corrects the tokens counted for a request once its real usage is known. */
    synchronized void adjust(long tokenDelta) {
        if (tokensPerMinute > 0 && tokenDelta != 0) {
            window.addLast(new long[] { System.nanoTime(), tokenDelta });
            windowTokens += tokenDelta;
        }
    }

    int available() {
        return inFlight.availablePermits();
    }

    private void waitForRate(long tokens) throws InterruptedException {
        if (requestsPerMinute <= 0 && tokensPerMinute <= 0) {
            return;
        }
        while (true) {
            long waitNanos;
            synchronized (this) {
                long now = System.nanoTime();
                expire(now);
                boolean requestsOk = requestsPerMinute <= 0 || countRequests() < requestsPerMinute;
                // A request bigger than the whole budget goes alone once the window is empty.
                boolean tokensOk = tokensPerMinute <= 0 || windowTokens + tokens <= tokensPerMinute || window.isEmpty();
                if (requestsOk && tokensOk) {
                    window.addLast(new long[] { now, tokens, 1 });
                    windowTokens += tokens;
                    return;
                }
                waitNanos = window.isEmpty() ? 1_000_000 : Math.max(1_000_000, window.peekFirst()[0] + windowNanos - now);
            }
            Thread.sleep(Math.min(waitNanos / 1_000_000 + 1, 1_000));
        }
    }

    private void expire(long now) {
        while (!window.isEmpty() && now - window.peekFirst()[0] >= windowNanos) {
            windowTokens -= window.removeFirst()[1];
        }
    }

    private int countRequests() {
        int count = 0;
        for (long[] entry : window) {
            if (entry.length > 2) {
                count++;
            }
        }
        return count;
    }
}
