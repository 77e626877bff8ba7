package dev.rolloutbatch.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the machine's CPU went while one collect JVM lived: that JVM, this one (the LLM fixture, answering every
 * call), and everything else (PostgreSQL, mostly). Read from Linux's {@code /proc} in clock ticks of 10 ms; on
 * another system every figure is 0.
 */
final class CpuAccount {

    /** CPU seconds, and the wall seconds they were counted over. */
    record Usage(double collect, double fixture, double machine, double wallSeconds, int cores) {

        double others() {
            return Math.max(0, machine - collect - fixture);
        }

        /** Share of all cores that was busy, 0..1. */
        double busy() {
            return wallSeconds <= 0 ? 0 : machine / (wallSeconds * cores);
        }
    }

    private final long machineStart = machineBusyTicks();
    private final long fixtureStart = processTicks("self");
    private final long wallStart = System.nanoTime();

    /** @param collectSeconds the collect JVM's whole-life CPU, as sampled while it ran */
    Usage stop(double collectSeconds) {
        return new Usage(collectSeconds, (processTicks("self") - fixtureStart) / 100.0,
                (machineBusyTicks() - machineStart) / 100.0, (System.nanoTime() - wallStart) / 1e9,
                Runtime.getRuntime().availableProcessors());
    }

    /** User + system CPU of a process: fields 14 and 15 of {@code /proc/<pid>/stat}. */
    static long processTicks(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        catch (IOException | RuntimeException ex) {
            return 0;
        }
    }

    /** All CPUs' non-idle ticks since boot: the first line of {@code /proc/stat} minus idle and iowait. */
    private static long machineBusyTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy;
        }
        catch (IOException | RuntimeException ex) {
            return 0;
        }
    }
}
