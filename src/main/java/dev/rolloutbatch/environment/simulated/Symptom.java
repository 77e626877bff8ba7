package dev.rolloutbatch.environment.simulated;

import java.util.List;

/**
 * How an active fault shows in telemetry.
 *
 * @param origin       the service where the errors start (callers on the path from the entry log errors about it)
 * @param callerError  what the direct caller of {@code origin} logs, {@code %s} is the origin's name; null when
 *                     callers see nothing in their logs
 * @param originLogs   extra lines the origin itself logs
 * @param extraMs      added latency of the origin's spans
 * @param errorRate    share of the origin's spans that fail
 * @param cpuMillis    the origin's CPU usage when it is abnormal, else 0
 * @param rpsFactor    multiplier of the origin's request rate
 * @param memoryFactor multiplier of the origin's memory
 */
record Symptom(String origin, String callerError, List<String> originLogs, double extraMs, double errorRate,
        double cpuMillis, double rpsFactor, double memoryFactor) {

    static Symptom errors(String origin, String callerError, List<String> originLogs, double errorRate) {
        return new Symptom(origin, callerError, originLogs, 0, errorRate, 0, 1, 1);
    }

    static Symptom quiet(String origin, List<String> originLogs, double extraMs) {
        return new Symptom(origin, null, originLogs, extraMs, 0, 0, 1, 1);
    }

    Symptom withCpu(double millis) {
        return new Symptom(origin, callerError, originLogs, extraMs, errorRate, millis, rpsFactor, memoryFactor);
    }

    Symptom withRps(double factor) {
        return new Symptom(origin, callerError, originLogs, extraMs, errorRate, cpuMillis, factor, memoryFactor);
    }

    Symptom withMemory(double factor) {
        return new Symptom(origin, callerError, originLogs, extraMs, errorRate, cpuMillis, rpsFactor, factor);
    }

    Symptom withLatency(double ms) {
        return new Symptom(origin, callerError, originLogs, ms, errorRate, cpuMillis, rpsFactor, memoryFactor);
    }
}
