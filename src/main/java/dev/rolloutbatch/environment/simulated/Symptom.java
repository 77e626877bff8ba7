package dev.rolloutbatch.environment.simulated;

import java.util.List;

/**
 * How an active fault shows in telemetry. Only signals AIOpsLab's own exports carry are modelled: log lines,
 * span durations and span error tags (Jaeger), and container resource counters (cAdvisor via Prometheus).
 *
 * @param origin        the service where the fault sits
 * @param callerError   what the direct caller of {@code origin} logs, {@code %s} is the origin's name; null when
 *                      callers see nothing in their logs
 * @param originLogs    extra lines the origin itself logs
 * @param ownLatencyMs  added duration of the origin's own spans
 * @param callDelayMs   added duration of the spans that call the origin (network delay in front of it)
 * @param errorRate     share of requests through the origin that fail
 * @param originDown    the origin serves nothing and so reports no spans of its own
 * @param cpuCores      the origin's CPU usage in cores when it is abnormal, else 0
 * @param trafficFactor multiplier of the origin's network counters
 * @param memoryFactor  multiplier of the origin's memory
 */
record Symptom(String origin, String callerError, List<String> originLogs, double ownLatencyMs, double callDelayMs,
        double errorRate, boolean originDown, double cpuCores, double trafficFactor, double memoryFactor) {

    static Symptom errors(String origin, String callerError, List<String> originLogs, double errorRate) {
        return new Symptom(origin, callerError, originLogs, 0, 0, errorRate, false, 0, 1, 1);
    }

    static Symptom quiet(String origin, List<String> originLogs, double ownLatencyMs) {
        return new Symptom(origin, null, originLogs, ownLatencyMs, 0, 0, false, 0, 1, 1);
    }

    Symptom down() {
        return new Symptom(origin, callerError, originLogs, ownLatencyMs, callDelayMs, errorRate, true, cpuCores,
                trafficFactor, memoryFactor);
    }

    Symptom withCallDelay(double ms) {
        return new Symptom(origin, callerError, originLogs, ownLatencyMs, ms, errorRate, originDown, cpuCores,
                trafficFactor, memoryFactor);
    }

    Symptom withCpu(double cores) {
        return new Symptom(origin, callerError, originLogs, ownLatencyMs, callDelayMs, errorRate, originDown, cores,
                trafficFactor, memoryFactor);
    }

    Symptom withTraffic(double factor) {
        return new Symptom(origin, callerError, originLogs, ownLatencyMs, callDelayMs, errorRate, originDown, cpuCores,
                factor, memoryFactor);
    }

    Symptom withMemory(double factor) {
        return new Symptom(origin, callerError, originLogs, ownLatencyMs, callDelayMs, errorRate, originDown, cpuCores,
                trafficFactor, factor);
    }
}
