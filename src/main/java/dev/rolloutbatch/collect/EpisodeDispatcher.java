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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger log = LoggerFactory.getLogger(EpisodeDispatcher.class);

    private final List<Long> pending;
    private final int concurrency;
    private final EpisodeRepository episodes;
    private final EpisodeRunner runner;
    private final String workerId;
    private final BigDecimal budgetUsd;
    private final Semaphore slots;
    private final Queue<EpisodeResult> finished = new ConcurrentLinkedQueue<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("episode-", 0).factory());
    private final Object progress = new Object();
    private volatile BigDecimal spent;
    private volatile boolean budgetExhausted;
    private volatile boolean stopStarting;
    /** Asked before each episode starts: a stop request (SIGTERM) starts no more, at once. */
    private volatile BooleanSupplier stopRequested = () -> false;
    private volatile boolean abandoned;
    private Thread feeder;

    EpisodeDispatcher(List<Long> pending, int concurrency, EpisodeRepository episodes, EpisodeRunner runner,
            String workerId, BigDecimal budgetUsd, BigDecimal alreadySpent) {
        this.pending = pending;
        this.concurrency = concurrency;
        this.episodes = episodes;
        this.runner = runner;
        this.workerId = workerId;
        this.budgetUsd = budgetUsd;
        this.spent = alreadySpent == null ? BigDecimal.ZERO : alreadySpent;
        this.slots = new Semaphore(concurrency);
    }

    void start() {
        feeder = Thread.ofPlatform().name("episode-dispatcher").daemon().start(this::feed);
    }

    private void feed() {
        try {
            for (long id : pending) {
                slots.acquire();
                if (stopStarting || stopRequested.getAsBoolean() || failure.get() != null || overBudget()) {
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

    private boolean overBudget() {
        if (budgetUsd != null && spent.compareTo(budgetUsd) >= 0) {
            if (!budgetExhausted) {
                log.warn("Budget of {} USD spent ({} USD): no new episodes start", budgetUsd, spent);
            }
            budgetExhausted = true;
        }
        return budgetExhausted;
    }

    private void runOne(long id) {
        try {
            Episode episode = episodes.claim(id, workerId).orElse(null);
            if (episode != null) {
                EpisodeResult result = runner.run(episode, () -> abandoned);
                if (result.costUsd() != null) {
                    synchronized (this) {
                        spent = spent.add(result.costUsd());
                    }
                }
                finished.add(result);
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

    /** Episodes in flight end at their next step without another LLM call. */
    void abandonInFlight() {
        stopStarting();
        abandoned = true;
    }

    int inFlight() {
        return concurrency - slots.availablePermits();
    }

    /** Waits until an episode ends, everything is done, or the timeout passes. */
    void awaitProgress(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (progress) {
            while (finished.isEmpty() && !isDone() && System.currentTimeMillis() < deadline) {
                progress.wait(Math.max(1, Math.min(200, deadline - System.currentTimeMillis())));
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

    boolean budgetExhausted() {
        return budgetExhausted;
    }

    int concurrency() {
        return concurrency;
    }
}
