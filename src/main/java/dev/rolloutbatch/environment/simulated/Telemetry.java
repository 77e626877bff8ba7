package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Container logs and resource use of the modelled cluster. Healthy noise depends on the seed; the active fault's
 * {@link Symptom} adds error lines along the call path from the entry service to its origin and resource
 * anomalies. {@link PrometheusExport} and {@link JaegerExport} turn them into AIOpsLab's metric and trace files.
 */
final class Telemetry {

    private final Cluster c;

    Telemetry(Cluster cluster) {
        this.c = cluster;
    }

    private SplittableRandom random(String key) {
        return new SplittableRandom(c.seed * 1_000_003L + key.hashCode() * 31L + c.now / 60);
    }

    /** The namespaces AIOpsLab's get_logs knows a pod label for. AIOpsLab: aiopslab/orchestrator/actions/base.py */
    private static final java.util.Set<String> LOG_NAMESPACES = java.util.Set.of("test-social-network",
            "test-hotel-reservation", "astronomy-shop");

    /**
     * AIOpsLab's get_logs: the whole current log of the first pod (in name order) the service's label selects, or
     * its one error sentence when there is none or the log cannot be read (a pending pod).
     * AIOpsLab: aiopslab/orchestrator/actions/base.py (get_logs) and aiopslab/service/kubectl.py (get_pod_name)
     */
    String getLogs(String namespace, String service) {
        if (namespace.equals("docker")) {
            Pod container = c.docker ? c.pods.stream().filter(p -> p.name.equals(service)).findFirst().orElse(null) : null;
            return container == null ? "Error: Your service does not exist. Use docker to check." : podLogs(container, null);
        }
        Pod first = null;
        if (LOG_NAMESPACES.contains(namespace) && namespace.equals(c.namespace)) {
            for (Pod pod : c.pods) {
                if (service.equals(c.labels(pod).get(c.labelKey())) && (first == null || pod.name.compareTo(first.name) < 0)) {
                    first = pod;
                }
            }
        }
        if (first == null || !first.scheduled()) {
            return "Error: Your service/namespace does not exist. Use kubectl to check.";
        }
        return podLogs(first, null);
    }

    /**
     * AIOpsLab's read_metrics / read_traces: the CSV at {@code path} as pandas prints it, or its error texts.
     * AIOpsLab: aiopslab/orchestrator/actions/base.py
     */
    static String read(String kind, String path, java.util.Map<String, String> files) {
        String absolute = path.startsWith("/") ? path : PrometheusExport.WORKING_DIRECTORY + "/" + path;
        String directory = absolute.endsWith("/") ? absolute : absolute + "/";
        if (files.keySet().stream().anyMatch(f -> f.startsWith(directory))) {
            return "Failed to read " + kind + ": [Errno 21] Is a directory: '" + path + "'";
        }
        String content = files.get(absolute);
        if (content == null) {
            return "error: " + (kind.equals("metrics") ? "Metrics" : "Traces") + " file '" + path + "' not found.";
        }
        return PandasTable.render(content);
    }

    /** The current container log of a pod. */
    String podLogs(Pod pod, Integer tail) {
        if (!pod.scheduled()) {
            return "Error from server (BadRequest): container \"" + c.topology.container(pod.service) + "\" in pod \""
                    + pod.name + "\" is waiting to start: ContainerCreating";
        }
        if (!pod.ready && "Running".equals(pod.status) || pod.paused) {
            return "";
        }
        SplittableRandom r = random(pod.name);
        List<String> lines = new ArrayList<>();
        long t = Math.max(pod.createdAt, c.now - 600);
        Symptom symptom = c.fault.symptom(c);
        boolean crashing = pod.waitingReason != null || pod.status.startsWith("Exited");
        List<String> path = symptom == null ? List.of() : c.topology.pathTo(symptom.origin());
        int index = path.indexOf(pod.service);
        boolean origin = symptom != null && pod.service.equals(symptom.origin());
        int count = crashing ? 3 : 14 + r.nextInt(8);
        for (int i = 0; i < count; i++) {
            t += 5 + r.nextInt(40);
            if (i < 3 || !crashing) {
                lines.add(normal(pod.service, t, r, i));
            }
            if (symptom != null && !origin && index >= 0 && index < path.size() - 1 && r.nextInt(3) == 0
                    && symptom.callerError() != null) {
                String callee = path.get(index + 1);
                String message = callee.equals(symptom.origin()) ? String.format(symptom.callerError(), callee)
                        : upstream(callee);
                lines.add(error(pod.service, t, message));
            }
        }
        if (crashing && symptom != null && !origin && index >= 0 && index == path.size() - 2 && symptom.callerError() != null) {
            // a crashing caller logs the error it exits on as its last line
            t += 1 + r.nextInt(5);
            lines.add(error(pod.service, t, String.format(symptom.callerError(), symptom.origin())));
        }
        if (origin) {
            for (String line : symptom.originLogs()) {
                t += 1 + r.nextInt(20);
                lines.add(line.replace("%T", SimulatedTime.timestamp(c.seed, t)).replace("%N", String.valueOf(100 + r.nextInt(900))));
            }
        }
        if (tail != null && tail >= 0 && tail < lines.size()) {
            lines = lines.subList(lines.size() - tail, lines.size());
        }
        return String.join("\n", lines);
    }

    private String upstream(String callee) {
        return switch (c.topology.app().name()) {
            case "SocialNetwork" -> "Failed to call " + callee + ": TApplicationException: Internal error processing request";
            case "AstronomyShop" -> "failed to call " + callee + ": rpc error: code = Internal desc = upstream error";
            case "Flower" -> "ERROR : " + callee + " reported failures in the last round";
            default -> "rpc error: code = Unknown desc = request to " + callee + " failed";
        };
    }

    private String error(String service, long t, String message) {
        String ts = SimulatedTime.timestamp(c.seed, t);
        return switch (c.topology.app().name()) {
            case "SocialNetwork" -> service.equals("nginx-thrift")
                    ? ts.replace('T', ' ').replace("Z", "") + " [error] 23#23: *" + (t % 9000) + " " + message
                    : "[" + ts.replace('T', ' ').replace("Z", "") + "] <error>: (" + camel(service) + "Handler.h:"
                            + (80 + t % 200) + ") " + message;
            case "HotelReservation" -> "{\"level\":\"error\",\"time\":\"" + ts + "\",\"message\":\"" + message.replace("\"", "\\\"") + "\"}";
            case "Flower" -> message;
            default -> ts + " ERROR [" + service + "] " + message;
        };
    }

    private String normal(String service, long t, SplittableRandom r, int i) {
        String ts = SimulatedTime.timestamp(c.seed, t);
        String app = c.topology.app().name();
        if (service.contains("mongodb")) {
            return "{\"t\":{\"$date\":\"" + ts + "\"},\"s\":\"I\",\"c\":\"NETWORK\",\"id\":22943,\"ctx\":\"listener\","
                    + "\"msg\":\"Connection accepted\",\"attr\":{\"remote\":\"10.244.1." + (2 + r.nextInt(250)) + ":"
                    + (30000 + r.nextInt(30000)) + "\",\"connectionCount\":" + (3 + r.nextInt(40)) + "}}";
        }
        if (service.contains("memcached")) {
            return "<" + (20 + r.nextInt(30)) + " new auto-negotiating client connection";
        }
        if (service.contains("redis") || service.contains("valkey")) {
            return "1:M " + ts + " * " + (10 + r.nextInt(90)) + " changes in 300 seconds. Saving...";
        }
        return switch (app) {
            case "SocialNetwork" -> service.equals("nginx-thrift")
                    ? "10.244.1." + (2 + r.nextInt(250)) + " - - [" + ts + "] \"POST /wrk2-api/" + pick(r, "post/compose",
                            "home-timeline/read", "user-timeline/read", "user/follow") + " HTTP/1.1\" 200 " + (20 + r.nextInt(900))
                    : "[" + ts.replace('T', ' ').replace("Z", "") + "] <info>: (" + camel(service) + ".cpp:" + (40 + r.nextInt(120))
                            + ":main) " + (i == 0 ? "Starting the " + service + " server..." : "Handled request " + Long.toHexString(r.nextLong()).substring(0, 8)
                                    + " in " + (1 + r.nextInt(30)) + " ms");
            case "HotelReservation" -> "{\"level\":\"info\",\"time\":\"" + ts + "\",\"message\":\"" + (i == 0
                    ? "Successfully registered in consul" : pick(r, "handled request in " + (1 + r.nextInt(20)) + "ms",
                            "searchHandler: " + (1 + r.nextInt(9)) + " hotels found", "cache hit ratio " + (70 + r.nextInt(29)) + "%",
                            "trace sampled " + Long.toHexString(r.nextLong()).substring(0, 8))) + "\"}";
            case "AstronomyShop" -> service.equals("frontend-proxy")
                    ? "[" + ts + "] \"" + pick(r, "GET /api/products", "GET /api/recommendations", "GET /", "POST /api/cart",
                            "GET /api/data?contextKeys=") + " HTTP/1.1\" 200 - via_upstream - \"-\" 0 " + (100 + r.nextInt(5000))
                            + " " + (1 + r.nextInt(60)) + " " + (1 + r.nextInt(60)) + " \"-\" \"python-requests/2.31.0\""
                    : ts + " INFO [" + service + "] " + pick(r, "request handled in " + (1 + r.nextInt(40)) + "ms",
                            "trace_id=" + Long.toHexString(r.nextLong()) + " span ok", "processed " + (1 + r.nextInt(20)) + " items");
            case "Flower" -> "INFO :      " + pick(r, "[ROUND " + (1 + i) + "]", "configure_fit: strategy sampled 2 clients (out of 2)",
                    "aggregate_fit: received 2 results and 0 failures", "Received: train message " + Long.toHexString(r.nextLong()).substring(0, 8),
                    "Sent reply");
            default -> ts + " " + service + " ok";
        };
    }

    private static String pick(SplittableRandom r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static String camel(String service) {
        StringBuilder out = new StringBuilder();
        for (String part : service.split("-")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    /** A pod's resource use right now: CPU in cores, memory in bytes, network in bytes per second. */
    record Usage(double cores, double memoryBytes, double receiveBytesPerSecond, double transmitBytesPerSecond,
            int threads) {
    }

    /** What a pod uses now: seeded healthy levels, changed by the active fault's symptom. */
    Usage usage(Pod pod) {
        if (pod.paused) {
            return new Usage(0.0001, 450_000, 0, 0, 1);
        }
        SplittableRandom r = new SplittableRandom(c.seed * 1_000_003L + pod.service.hashCode());
        double cores = 0.002 + r.nextInt(60) / 1000.0;
        double memory = (24 + r.nextInt(200)) * 1_048_576.0;
        double traffic = (pod.service.equals(c.topology.entry()) ? 40_000 : 2_000) + r.nextInt(30_000);
        int threads = 6 + r.nextInt(40);
        if (pod.waitingReason != null) {
            return new Usage(cores / 4, memory / 4, traffic / 50, traffic / 50, threads / 2);
        }
        Symptom symptom = c.fault.symptom(c);
        if (symptom != null && pod.service.equals(symptom.origin())) {
            cores = symptom.cpuCores() > 0 ? symptom.cpuCores() : cores;
            memory *= symptom.memoryFactor();
            traffic *= symptom.trafficFactor();
        }
        return new Usage(cores, memory, traffic * 0.6, traffic, threads);
    }
}
