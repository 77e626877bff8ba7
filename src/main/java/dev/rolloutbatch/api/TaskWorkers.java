package dev.rolloutbatch.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.conversation.ConversationLog;
import dev.rolloutbatch.episode.Episode;
import dev.rolloutbatch.episode.EpisodeRepository;
import dev.rolloutbatch.episode.EpisodeResult;
import dev.rolloutbatch.episode.EpisodeRunner;
import dev.rolloutbatch.episode.EpisodeStatus;

/**
 * The pool of workers that run submitted tasks ({@code rollout.api.workers}, 3 by default).
 * <p>
 * <b>Claiming.</b> A worker reads the oldest pending task ids and claims them with
 * {@link EpisodeRepository#claim}, an atomic conditional UPDATE (pending → running) that exactly one claimer wins,
 * in this process or any other on the same database; a loser just tries the next candidate. So no task runs
 * twice, with any number of servers on one database.
 * <p>
 * <b>Dead workers.</b> While a task runs, its worker's server stamps {@code episode.heartbeat_at} every
 * {@code rollout.api.heartbeat-interval} (10 s). Every server, at start and then at that interval, puts back in
 * the queue the running tasks whose heartbeat is older than {@code rollout.api.stale-after} (60 s): their worker
 * is dead (killed server, lost machine). Their unfinished conversation is marked aborted and the task runs again
 * from a clean start as a new attempt.
 * <p>
 * <b>Shutdown.</b> A stopping server stops claiming, asks its running tasks to stop at their next step, and puts
 * them back in the queue; a task still busy after {@code rollout.api.shutdown-grace} is left to the heartbeat
 * rule.
 */
@Component
@Profile("serve")
class TaskWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskWorkers.class);

    private final TaskRepository tasks;
    private final EpisodeRepository episodes;
    private final EpisodeRunner runner;
    private final TaskMetrics metrics;
    private final ApiProperties properties;
    private final List<String> workerIds = new ArrayList<>();
    private final Map<Long, String> active = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private volatile boolean running;
    private volatile boolean stopping;
    private ExecutorService pool;
    private ScheduledExecutorService housekeeping;

    /** {@code conversationLog} is a dependency so that Spring stops this bean first, while the log still writes. */
    TaskWorkers(TaskRepository tasks, EpisodeRepository episodes, EpisodeRunner runner, TaskMetrics metrics,
            ApiProperties properties, ConversationLog conversationLog) {
        this.tasks = tasks;
        this.episodes = episodes;
        this.runner = runner;
        this.metrics = metrics;
        this.properties = properties;
        String prefix = WorkerIds.prefix(properties.workerPrefix());
        for (int n = 1; n <= properties.workers(); n++) {
            workerIds.add(WorkerIds.of(prefix, n));
        }
    }

    List<String> workerIds() {
        return List.copyOf(workerIds);
    }

    @Override
    public synchronized void start() {
        stopping = false;
        running = true;
        housekeep();
        housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("task-heartbeat")
            .daemon().factory());
        long every = properties.heartbeatInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(this::housekeep, every, every, TimeUnit.MILLISECONDS);
        pool = Executors.newFixedThreadPool(Math.max(1, workerIds.size()), Thread.ofPlatform().daemon()
            .name("task-worker-", 1).factory());
        workerIds.forEach(id -> pool.submit(() -> loop(id)));
        log.info("Task workers started: {}", workerIds);
    }

    /** Wakes idle workers (a task was just submitted here). */
    void wake() {
        lock.lock();
        try {
            work.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    private void loop(String workerId) {
        while (!stopping) {
            try {
                Optional<Episode> claimed = claimNext(workerId);
                if (claimed.isPresent()) {
                    runOne(claimed.get(), workerId);
                }
                else {
                    idle();
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException ex) {
                log.error("Worker {} failed; retrying after {}", workerId, properties.pollInterval(), ex);
                try {
                    Thread.sleep(properties.pollInterval());
                }
                catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Optional<Episode> claimNext(String workerId) {
        for (long id : tasks.pendingCandidates(workerIds.size() * 2)) {
            if (stopping) {
                return Optional.empty();
            }
            Optional<Episode> claimed = episodes.claim(id, workerId);
            if (claimed.isPresent()) {
                return claimed;
            }
        }
        return Optional.empty();
    }

    private void runOne(Episode episode, String workerId) {
        active.put(episode.id(), workerId);
        try {
            log.info("{} runs task {} ({}, attempt {})", workerId, episode.id(), episode.problemId(),
                    episode.attempt());
            EpisodeResult result = runner.run(episode, () -> stopping || episodes.isCancelRequested(episode.id()));
            if (stopping && result.status() == EpisodeStatus.CANCELLED) {
                tasks.requeueAfterShutdown(episode.id(), episode.attempt(), result.conversationId());
            }
            else {
                metrics.finished(result);
            }
            log.info("{} ended task {}: {}", workerId, episode.id(), result.status().id());
        }
        finally {
            active.remove(episode.id());
        }
    }

    private void idle() throws InterruptedException {
        lock.lock();
        try {
            if (!stopping) {
                work.await(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        finally {
            lock.unlock();
        }
    }

    private void housekeep() {
        try {
            active.forEach(tasks::heartbeat);
            int requeued = tasks.requeueStale(Instant.now().minus(properties.staleAfter()));
            if (requeued > 0) {
                log.warn("Requeued {} task(s) whose worker stopped sending heartbeats for {}", requeued,
                        properties.staleAfter());
                wake();
            }
        }
        catch (RuntimeException ex) {
            log.warn("Task heartbeat failed: {}", ex.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        stopping = true;
        wake();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Tasks {} still running after {}; they will be requeued once their heartbeat is stale",
                        active.keySet(), properties.shutdownGrace());
                pool.shutdownNow();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
        housekeeping.shutdownNow();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
