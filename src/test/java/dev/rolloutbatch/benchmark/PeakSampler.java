package dev.rolloutbatch.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Samples a child JVM every few milliseconds while it runs: its peak resident set (VmHWM, which the kernel keeps
 * as a high-water mark, so sampling only has to catch the last value before exit) and the database connections
 * it holds open and busy (from {@code pg_stat_activity}, by application name), and its CPU in steady state: between
 * the samples at which 10 % and 90 % of the expected LLM calls had reached the server, so that neither start-up and
 * warm-up nor the last episodes' tail count.
 */
final class PeakSampler implements AutoCloseable {

    private final long pid;
    private final JdbcTemplate jdbc;
    private final String applicationName;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakRssKb;
    private volatile long cpuTicks;
    private volatile int peakOpen;
    private volatile int peakBusy;
    private final IntSupplier calls;
    private final long expectedCalls;
    private long steadyFromTicks = -1;
    private long steadyFromCalls;
    private long steadyToTicks = -1;
    private long steadyToCalls;

    /** Without the steady-state window. */
    PeakSampler(long pid, JdbcTemplate jdbc, String applicationName) {
        this(pid, jdbc, applicationName, () -> 0, Long.MAX_VALUE);
    }

    /**
     * @param calls         the LLM calls the process has sent so far (the fixture's count)
     * @param expectedCalls the calls of the whole run
     */
    PeakSampler(long pid, JdbcTemplate jdbc, String applicationName, IntSupplier calls, long expectedCalls) {
        this.pid = pid;
        this.jdbc = jdbc;
        this.applicationName = applicationName;
        this.calls = calls;
        this.expectedCalls = expectedCalls;
        this.thread = Thread.ofPlatform().name("bench-sampler").daemon().start(this::sample);
    }

    private void sample() {
        while (running) {
            peakRssKb = Math.max(peakRssKb, vmHwmKb());
            cpuTicks = Math.max(cpuTicks, CpuAccount.processTicks(Long.toString(pid)));
            markSteadyWindow(calls.getAsInt(), cpuTicks);
            try {
                var counts = jdbc.queryForMap("""
                        SELECT COUNT(*) AS open, COUNT(*) FILTER (WHERE state = 'active') AS busy
                        FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?""",
                        applicationName);
                peakOpen = Math.max(peakOpen, ((Number) counts.get("open")).intValue());
                peakBusy = Math.max(peakBusy, ((Number) counts.get("busy")).intValue());
            }
            catch (RuntimeException ex) {
                // a missed sample
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private synchronized void markSteadyWindow(long sent, long ticks) {
        if (steadyFromTicks < 0 && sent >= expectedCalls / 10) {
            steadyFromTicks = ticks;
            steadyFromCalls = sent;
        }
        if (steadyToTicks < 0 && sent >= expectedCalls / 10 * 9) {
            steadyToTicks = ticks;
            steadyToCalls = sent;
        }
    }

    /** Milliseconds of the process's CPU per LLM call between 10 % and 90 % of the calls; NaN if not sampled. */
    synchronized double steadyCpuMsPerCall() {
        if (steadyFromTicks < 0 || steadyToTicks < 0 || steadyToCalls <= steadyFromCalls) {
            return Double.NaN;
        }
        return (steadyToTicks - steadyFromTicks) * 10.0 / (steadyToCalls - steadyFromCalls);
    }

    private long vmHwmKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // the process is gone, or this is not Linux
        }
        return 0;
    }

    /** CPU seconds the process used, as last sampled. */
    double cpuSeconds() {
        return cpuTicks / 100.0;
    }

    long peakRssMb() {
        return peakRssKb / 1024;
    }

    int peakOpenConnections() {
        return peakOpen;
    }

    int peakBusyConnections() {
        return peakBusy;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
