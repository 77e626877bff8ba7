package dev.rolloutbatch.environment.simulated;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What AIOpsLab's {@code get_metrics} leaves behind: a directory {@code metric_<time>/} with a {@code container/}
 * folder holding one CSV per cAdvisor metric (columns timestamp, cmdb_id, kpi_name, value; raw series, counters
 * not turned into rates, 15 s step) and an empty {@code istio/} folder, and the sentence naming the directory with
 * its folder tree. There are no request rates, error rates or latencies among these metrics.
 * AIOpsLab: aiopslab/observer/metric_api.py (normal_metrics, export_all_metrics, network_kpi_name_format) and
 * aiopslab/orchestrator/actions/base.py (get_metrics: step 15, save path metrics_output under the working directory)
 */
final class PrometheusExport {

    /** Where AIOpsLab's process runs; the twin's shell reports the same working directory. */
    static final String WORKING_DIRECTORY = "/home/aiopslab";

    /**
     * AIOpsLab's metric list in its order. Its list lacks a comma between container_threads_max and
     * container_network_receive_errors_total, so neither is queried and no file exists for them.
     */
    static final List<String> METRICS = List.of("container_cpu_usage_seconds_total", "container_cpu_user_seconds_total",
            "container_cpu_system_seconds_total", "container_cpu_cfs_throttled_seconds_total",
            "container_cpu_cfs_throttled_periods_total", "container_cpu_cfs_periods_total",
            "container_cpu_load_average_10s", "container_memory_cache", "container_memory_usage_bytes",
            "container_memory_working_set_bytes", "container_memory_rss", "container_memory_mapped_file",
            "container_spec_cpu_period", "container_spec_cpu_quota", "container_spec_memory_limit_bytes",
            "container_spec_cpu_shares", "container_threads", "container_network_receive_packets_dropped_total",
            "container_network_receive_packets_total", "container_network_receive_bytes_total",
            "container_network_transmit_bytes_total", "container_network_transmit_errors_total",
            "container_network_transmit_packets_dropped_total", "container_network_transmit_packets_total");

    private static final Set<String> NETWORK = Set.copyOf(METRICS.stream().filter(m -> m.contains("_network_")).toList());
    private static final DateTimeFormatter DIRECTORY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
        .withZone(ZoneOffset.UTC);
    /**
     * The cAdvisor scrape job goes through the API server, so every series' instance label is its address.
     * AIOpsLab: aiopslab/observer/prometheus/prometheus/values.yaml (job kubernetes-cadvisor)
     */
    private static final String INSTANCE = "kubernetes.default.svc:443";
    private static final int STEP_SECONDS = 15;

    private PrometheusExport() {
    }

    /** Writes the export into {@code files} (path to content) and returns AIOpsLab's answer. */
    static String export(Cluster c, Telemetry telemetry, String namespace, int minutes, Map<String, String> files) {
        long end = SimulatedTime.instant(c.seed, c.now).getEpochSecond();
        String name = "metric_" + DIRECTORY_TIME.format(SimulatedTime.instant(c.seed, c.now));
        String directory = WORKING_DIRECTORY + "/metrics_output/" + name;
        List<Pod> pods = new ArrayList<>();
        if (namespace.equals(c.namespace) && !c.docker) {
            for (Pod pod : c.pods) {
                // AIOpsLab drops pods named loadgenerator-* and redis-cart* from its pod list
                if (pod.scheduled() && !pod.name.startsWith("loadgenerator-") && !pod.name.startsWith("redis-cart")) {
                    pods.add(pod);
                }
            }
        }
        pods.sort(Comparator.comparing(p -> p.name));
        List<String> written = new ArrayList<>();
        if (!pods.isEmpty()) {
            long start = end - minutes * 60L;
            List<Telemetry.Usage> usages = pods.stream().map(telemetry::usage).toList();
            for (String metric : METRICS) {
                String file = "kpi_" + metric + ".csv";
                files.put(directory + "/container/" + file, csv(c, metric, pods, usages, start, end));
                written.add(file);
            }
        }
        files.put(directory + "/istio/", "");
        written.sort(null);
        StringBuilder answer = new StringBuilder("Metrics data exported to directory: ").append(directory)
            .append("\n\nFolder structure of exported metrics:\n").append(name).append("/\n    container/\n");
        for (String file : written) {
            answer.append("        ").append(file).append('\n');
        }
        return answer.append("    istio/\n").toString();
    }

    private static String csv(Cluster c, String metric, List<Pod> pods, List<Telemetry.Usage> usages, long start,
            long end) {
        StringBuilder out = new StringBuilder("timestamp,cmdb_id,kpi_name,value\n");
        String kpi = NETWORK.contains(metric) ? metric + ".eth0" : metric;
        long origin = SimulatedTime.instant(c.seed, 0).getEpochSecond();
        for (long t = start; t <= end; t += STEP_SECONDS) {
            for (int i = 0; i < pods.size(); i++) {
                Pod pod = pods.get(i);
                long elapsed = t - (origin + pod.createdAt);
                if (elapsed < 0) {
                    continue;
                }
                double value = value(metric, usages.get(i), elapsed, wobble(c.seed, pod.name, t));
                out.append(t).append(',').append(INSTANCE).append('.').append(pod.name).append(',').append(kpi)
                    .append(',').append(pythonFloat(value)).append('\n');
            }
        }
        return out.toString();
    }

    /** A small, seeded, per-sample variation of gauges (counters stay monotonic). */
    private static double wobble(long seed, String pod, long t) {
        long h = seed * 0x9E3779B97F4A7C15L + pod.hashCode() * 31L + t;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return 1 + ((h & 0xffff) / 65535.0 - 0.5) * 0.04;
    }

    private static double value(String metric, Telemetry.Usage u, long elapsed, double wobble) {
        double cpu = u.cores() * elapsed;
        double throttled = u.cores() > 0.9 ? elapsed * 10 * 0.6 : 0;
        return switch (metric) {
            case "container_cpu_usage_seconds_total" -> cpu;
            case "container_cpu_user_seconds_total" -> cpu * 0.72;
            case "container_cpu_system_seconds_total" -> cpu * 0.28;
            case "container_cpu_cfs_throttled_seconds_total" -> throttled * 0.02;
            case "container_cpu_cfs_throttled_periods_total" -> Math.floor(throttled);
            case "container_cpu_cfs_periods_total" -> Math.floor(elapsed * 10 * Math.min(1, u.cores() * 8));
            case "container_cpu_load_average_10s", "container_network_receive_packets_dropped_total",
                    "container_network_transmit_errors_total", "container_network_transmit_packets_dropped_total" -> 0;
            case "container_memory_cache" -> Math.floor(u.memoryBytes() * 0.15);
            case "container_memory_usage_bytes" -> Math.floor(u.memoryBytes() * wobble);
            case "container_memory_working_set_bytes" -> Math.floor(u.memoryBytes() * 0.92 * wobble);
            case "container_memory_rss" -> Math.floor(u.memoryBytes() * 0.8 * wobble);
            case "container_memory_mapped_file" -> Math.floor(u.memoryBytes() * 0.03);
            case "container_spec_cpu_period", "container_spec_cpu_quota" -> 100_000;
            case "container_spec_memory_limit_bytes" -> 1_073_741_824;
            case "container_spec_cpu_shares" -> 102;
            case "container_threads" -> u.threads();
            case "container_network_receive_packets_total" -> Math.floor(u.receiveBytesPerSecond() * elapsed / 600);
            case "container_network_receive_bytes_total" -> Math.floor(u.receiveBytesPerSecond() * elapsed);
            case "container_network_transmit_bytes_total" -> Math.floor(u.transmitBytesPerSecond() * elapsed);
            case "container_network_transmit_packets_total" -> Math.floor(u.transmitBytesPerSecond() * elapsed / 600);
            default -> throw new IllegalArgumentException(metric);
        };
    }

    /** A value rounded to 3 decimals, written the way Python writes a float (pandas' to_csv). */
    static String pythonFloat(double value) {
        String plain = BigDecimal.valueOf(Math.round(value * 1000) / 1000.0).stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
