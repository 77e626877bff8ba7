package dev.rolloutbatch.launch;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Turns SIGTERM (every {@code systemctl stop}, every Kubernetes eviction) into a stop request for the job this
 * process runs. The JVM's shutdown hook closes the application context; closing stops this bean first (the
 * highest lifecycle phase), which asks the running job to stop and holds the shutdown until it has, so the
 * database is still there while the job records what it did. The job itself decides what stopping means
 * ({@link #stopRequested()}, {@link #deadline()}); the collect job starts no new episode and gives the ones in
 * flight the grace period.
 */
@Component
public class GracefulShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    /** Time the job gets, beyond the grace period, to record its stop before the shutdown goes on without it. */
    private static final Duration RECORDING_MARGIN = Duration.ofSeconds(10);

    private final Duration gracePeriod;
    private volatile boolean running;
    private volatile Instant deadline;
    private volatile CountDownLatch jobEnded;

    GracefulShutdown(ShutdownProperties properties) {
        this.gracePeriod = properties.gracePeriod();
    }

    /** Called by the launcher around a job run, and by a worker around each partition it runs. */
    public void jobStarted() {
        jobEnded = new CountDownLatch(1);
    }

    public void jobEnded() {
        CountDownLatch latch = jobEnded;
        if (latch != null) {
            latch.countDown();
        }
    }

    public boolean stopRequested() {
        return deadline != null;
    }

    /** When the work in flight must be abandoned; null while no stop is requested. */
    public Instant deadline() {
        return deadline;
    }

    public Duration gracePeriod() {
        return gracePeriod;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        CountDownLatch latch = jobEnded;
        if (latch == null || latch.getCount() == 0) {
            return;
        }
        deadline = Instant.now().plus(gracePeriod);
        log.warn("Shutdown requested (SIGTERM): the running job stops; work in flight gets {}s to finish",
                gracePeriod.toSeconds());
        try {
            if (!latch.await(gracePeriod.plus(RECORDING_MARGIN).toMillis(), TimeUnit.MILLISECONDS)) {
                log.error("The job did not stop within {}s; shutting down under it (run the same command to"
                        + " resume it)", gracePeriod.plus(RECORDING_MARGIN).toSeconds());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
