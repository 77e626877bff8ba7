package dev.rolloutbatch.agent.openai;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointLimitsTests {

    private static final long WINDOW_NANOS = 400_000_000L;

    private static long timeToAcquire(EndpointLimits limits, long tokens) throws InterruptedException {
        long start = System.nanoTime();
        limits.acquire(tokens);
        limits.release();
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void requestsPerWindowAreLimited() throws InterruptedException {
        EndpointLimits limits = new EndpointLimits(4, 2, 0, WINDOW_NANOS);
        assertThat(timeToAcquire(limits, 0)).isLessThan(100);
        assertThat(timeToAcquire(limits, 0)).isLessThan(100);
        assertThat(timeToAcquire(limits, 0)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void tokensPerWindowAreLimitedAndCorrectedByRealUsage() throws InterruptedException {
        EndpointLimits limits = new EndpointLimits(4, 0, 1000, WINDOW_NANOS);
        assertThat(timeToAcquire(limits, 600)).isLessThan(100);
        limits.adjust(-500); // the request used 100 tokens, not the 600 estimated
        assertThat(timeToAcquire(limits, 600)).isLessThan(100);
        assertThat(timeToAcquire(limits, 600)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void inFlightPermitsAreReturned() throws InterruptedException {
        EndpointLimits limits = new EndpointLimits(2, 0, 0);
        limits.acquire(0);
        assertThat(limits.available()).isEqualTo(1);
        limits.release();
        assertThat(limits.available()).isEqualTo(2);
    }
}
