package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Logs, metrics and traces of the modelled cluster. Healthy noise depends on the seed; the active fault's
 * {@link Symptom} adds error lines along the call path from the entry service to its origin, latency, error rates
 * and resource anomalies.
 */
final class Telemetry {

    private final Cluster c;

    Telemetry(Cluster cluster) {
        this.c = cluster;
    }

    private SplittableRandom random(String key) {
        return new SplittableRandom(c.seed * 1_000_003L + key.hashCode() * 31L + c.now / 60);
    }

    /** The current container log of a pod. */
    String podLogs(Pod pod, Integer tail) {
        if (!pod.scheduled()) {
            return "Error from server (BadRequest): container \"" + c.topology.container(pod.service) + "\" in pod \""
                    + pod.name + "\" is waiting to start: ContainerCreating";
        }
        if (!pod.ready && "Running".equals(pod.status)) {
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
        if (origin) {
            for (String line : symptom.originLogs()) {
                t += 1 + r.nextInt(20);
                lines.add(line.replace("%T", Clock.timestamp(c.seed, t)).replace("%N", String.valueOf(100 + r.nextInt(900))));
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
        String ts = Clock.timestamp(c.seed, t);
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
        String ts = Clock.timestamp(c.seed, t);
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

    /** Metrics of every service, one row per service and minute, as a CSV. */
    String metricsCsv(int minutes) {
        int rows = Math.max(1, Math.min(minutes, 10));
        Symptom symptom = c.fault.symptom(c);
        List<String> path = symptom == null ? List.of() : c.topology.pathTo(symptom.origin());
        StringBuilder out = new StringBuilder("timestamp,service,pod,cpu_millicores,memory_mib,request_rate_rps,"
                + "error_rate,latency_p50_ms,latency_p99_ms\n");
        for (String service : c.deployments.keySet()) {
            SplittableRandom r = random("metrics/" + service);
            double cpu = 5 + r.nextInt(60);
            double memory = 40 + r.nextInt(200);
            double rps = service.equals(c.topology.entry()) ? 40 + r.nextInt(20) : 2 + r.nextInt(30);
            double p50 = 1 + r.nextInt(8);
            double errors = 0;
            double extra = 0;
            if (symptom != null && path.contains(service)) {
                extra = symptom.extraMs();
                errors = symptom.errorRate() * (service.equals(symptom.origin()) ? 1 : 0.6);
            }
            if (symptom != null && service.equals(symptom.origin())) {
                cpu = symptom.cpuMillis() > 0 ? symptom.cpuMillis() : cpu;
                rps *= symptom.rpsFactor();
                memory *= symptom.memoryFactor();
            }
            for (Pod pod : c.podsOf(service)) {
                if (!pod.ready) {
                    continue;
                }
                for (int i = rows - 1; i >= 0; i--) {
                    double jitter = 0.85 + r.nextDouble() * 0.3;
                    out.append(String.format(Locale.ROOT, "%s,%s,%s,%.1f,%.1f,%.2f,%.3f,%.1f,%.1f%n",
                            Clock.timestamp(c.seed, c.now - i * 60L), service, pod.name, cpu * jitter, memory * (0.97 + r.nextDouble() * 0.06),
                            rps * jitter, Math.min(1, errors * jitter), (p50 + extra) * jitter, (p50 * 4 + extra * 1.6) * jitter));
                }
            }
        }
        return out.toString();
    }

    /** Spans of sampled requests, as a CSV. */
    String tracesCsv(int minutes) {
        SplittableRandom r = random("traces/" + minutes);
        Symptom symptom = c.fault.symptom(c);
        List<String> faultPath = symptom == null ? List.of() : c.topology.pathTo(symptom.origin());
        StringBuilder out = new StringBuilder("trace_id,span_id,parent_span_id,service,operation,start_time,duration_ms,status,error\n");
        int traces = Math.max(6, Math.min(minutes * 4, 24));
        for (int i = 0; i < traces; i++) {
            List<String> path = !faultPath.isEmpty() && i % 2 == 0 ? faultPath : randomPath(r);
            String traceId = Long.toHexString(r.nextLong() | Long.MIN_VALUE);
            long start = c.now - r.nextInt(Math.max(60, minutes * 60));
            boolean failed = symptom != null && path == faultPath && r.nextDouble() < symptom.errorRate();
            double below = 0;
            List<String> rows = new ArrayList<>();
            String parent = "";
            String[] ids = new String[path.size()];
            for (int k = 0; k < path.size(); k++) {
                ids[k] = Long.toHexString(r.nextLong() | Long.MIN_VALUE).substring(0, 16);
            }
            double[] durations = new double[path.size()];
            for (int k = path.size() - 1; k >= 0; k--) {
                String service = path.get(k);
                boolean isOrigin = symptom != null && service.equals(symptom.origin()) && path == faultPath;
                double own = 0.3 + r.nextDouble() * 4 + (isOrigin ? symptom.extraMs() * (0.8 + r.nextDouble() * 0.4) : 0);
                below += own;
                durations[k] = below;
            }
            for (int k = 0; k < path.size(); k++) {
                String service = path.get(k);
                boolean error = failed && k >= path.size() - 2;
                if (failed && symptom.callerError() == null) {
                    error = false;
                }
                rows.add(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%.2f,%s,%s", traceId, ids[k], parent, service,
                        operation(service), Clock.timestamp(c.seed, start), durations[k], error ? "ERROR" : "OK",
                        error ? (k == path.size() - 1 ? "true" : "true (downstream)") : "false"));
                parent = ids[k];
            }
            rows.forEach(row -> out.append(row).append('\n'));
        }
        return out.toString();
    }

    private List<String> randomPath(SplittableRandom r) {
        List<String> path = new ArrayList<>(List.of(c.topology.entry()));
        for (int depth = 0; depth < 4; depth++) {
            List<String> next = c.topology.callees(path.getLast());
            if (next.isEmpty()) {
                break;
            }
            String callee = next.get(r.nextInt(next.size()));
            if (path.contains(callee)) {
                break;
            }
            path.add(callee);
        }
        return path;
    }

    private static String operation(String service) {
        if (service.contains("mongodb")) {
            return "mongo.find";
        }
        if (service.contains("memcached") || service.contains("redis") || service.contains("valkey")) {
            return "cache.get";
        }
        return "/" + service + "/handle";
    }
}
