package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.rolloutbatch.episode.AttemptControl;
import dev.rolloutbatch.episode.Episode;
import dev.rolloutbatch.episode.EpisodeRepository;
import dev.rolloutbatch.episode.EpisodeResult;
import dev.rolloutbatch.episode.EpisodeRunner;

/**
 * Runs a run's pending episodes on virtual threads, at most {@code concurrency} at once. A new episode starts the
 * moment one ends (no chunk waits for its slowest member), so throughput stays close to
 * {@code concurrency / episode time} however large the concurrency.
 */
final class EpisodeDispatcher {

    /** How long ended episodes are gathered before the step hears of them. */
    static final long GATHER_MILLIS = 200;

    private final List<Long> pending;
    private final int concurrency;
    private final EpisodeRepository episodes;
    private final EpisodeRunner runner;
    private final String workerId;
    private final RunGuard guard;
    private final Semaphore slots;
    private final Queue<EpisodeResult> finished = new ConcurrentLinkedQueue<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("episode-", 0).factory());
    private final Object progress = new Object();
    private final AttemptControl control = new Control();
    private volatile boolean stopStarting;
    /** Asked before each episode starts: a stop request (SIGTERM) starts no more, at once. */
    private volatile BooleanSupplier stopRequested = () -> false;
    /** Set when the episodes in flight must end at their next step (the SIGTERM grace period is over). */
    private volatile String abandonReason;
    private Thread feeder;

    EpisodeDispatcher(List<Long> pending, int concurrency, EpisodeRepository episodes, EpisodeRunner runner,
            String workerId, RunGuard guard) {
        this.pending = pending;
        this.concurrency = concurrency;
        this.episodes = episodes;
        this.runner = runner;
        this.workerId = workerId;
        this.guard = guard;
        this.slots = new Semaphore(concurrency);
    }

    void start() {
        feeder = Thread.ofPlatform().name("episode-dispatcher").daemon().start(this::feed);
    }

    private void feed() {
        try {
            for (long id : pending) {
                slots.acquire();
                if (stopStarting || stopRequested.getAsBoolean() || failure.get() != null || guard.stopped()) {
                    slots.release();
                    break;
                }
                threads.execute(() -> runOne(id));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            threads.shutdown();
        }
    }

    private void runOne(long id) {
        try {
            Episode episode = episodes.claim(id, workerId).orElse(null);
            if (episode != null) {
                finished.add(runner.run(episode, control));
            }
        }
        catch (RuntimeException ex) {
            // Only infrastructure failures reach here (the database is gone): stop starting episodes.
            failure.compareAndSet(null, ex);
        }
        finally {
            slots.release();
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    void stopWhen(BooleanSupplier stopRequested) {
        this.stopRequested = stopRequested;
    }

    /** Starts no further episode; those in flight go on. */
    void stopStarting() {
        stopStarting = true;
        if (feeder != null) {
            feeder.interrupt();
        }
    }

    /**
     * Episodes in flight end at their next step without another LLM call: their conversations are kept as
     * aborted, with their cost, and the episodes are pending again.
     */
    void abandonInFlight(String reason) {
        stopStarting();
        abandonReason = reason;
    }

    int inFlight() {
        return concurrency - slots.availablePermits();
    }

    /**
     * Waits until everything is done or the timeout passes, and once an episode has ended at most
     * {@link #GATHER_MILLIS} more: each return costs the step a Spring Batch chunk transaction (its step execution
     * is updated), so a hundred episodes ending each second are reported a few times a second, not a hundred.
     */
    void awaitProgress(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (progress) {
            while (!isDone() && System.currentTimeMillis() < deadline) {
                if (!finished.isEmpty()) {
                    deadline = Math.min(deadline, System.currentTimeMillis() + GATHER_MILLIS);
                }
                progress.wait(Math.max(1, Math.min(GATHER_MILLIS, deadline - System.currentTimeMillis())));
            }
        }
    }

    EpisodeResult poll() {
        return finished.poll();
    }

    boolean isDone() {
        return feeder != null && !feeder.isAlive() && threads.isTerminated();
    }

    RuntimeException failure() {
        return failure.get();
    }

    /** Why episodes stopped starting (budget, endpoint given up on), or null. */
    String stopReason() {
        return guard.stopReason();
    }

    int concurrency() {
        return concurrency;
    }

    /** The run's guard (budget, circuit breaker), with an abandonment on top. */
    private final class Control implements AttemptControl {

        @Override
        public String stopReason() {
            String abandoned = abandonReason;
            return abandoned != null ? abandoned : guard.stopReason();
        }

        @Override
        public void callEnded(BigDecimal costUsd, boolean answered) {
            guard.callEnded(costUsd, answered);
        }
    }
}
