package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;

/** The docker CLI for Docker deployments (Flower): ps, logs, inspect, stats. */
final class Docker {

    private final Cluster c;
    private final Telemetry telemetry;

    Docker(Cluster cluster, Telemetry telemetry) {
        this.c = cluster;
        this.telemetry = telemetry;
    }

    String run(List<String> args) {
        if (!c.docker) {
            return "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?";
        }
        if (args.isEmpty()) {
            return "Usage:  docker [OPTIONS] COMMAND";
        }
        return switch (args.getFirst()) {
            case "ps", "container" -> ps(args.contains("-a") || args.contains("--all"));
            case "logs" -> logs(args);
            case "inspect" -> inspect(args);
            case "stats" -> stats();
            case "restart", "start", "stop", "kill", "rm", "exec", "run" ->
                "Error response from daemon: permission denied: this environment is read-only for docker " + args.getFirst();
            default -> "docker: '" + args.getFirst() + "' is not a docker command.\nSee 'docker --help'";
        };
    }

    private Pod container(String name) {
        return c.pods.stream().filter(p -> p.name.equals(name)).findFirst().orElse(null);
    }

    private String ps(boolean all) {
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"));
        for (Pod pod : c.pods) {
            if (!all && !pod.ready) {
                continue;
            }
            String id = Long.toHexString(Math.abs((pod.name + c.seed).hashCode() * 0x5DEECE66DL)).substring(0, 12);
            table.add(List.of(id, c.container(pod.service).path("image").asString(), "\"flower-" + pod.service.replaceAll("-\\d+$", "") + " …\"",
                    "15 minutes ago", pod.status, pod.service.equals("superlink") ? "0.0.0.0:9091-9093->9091-9093/tcp" : "", pod.name));
        }
        return Tables.format(table);
    }

    private String logs(List<String> args) {
        String name = args.size() > 1 ? args.getLast() : "";
        Pod pod = container(name);
        if (pod == null) {
            return "Error response from daemon: No such container: " + name;
        }
        Integer tail = null;
        int index = args.indexOf("--tail");
        if (index > 0 && index + 1 < args.size()) {
            try {
                tail = Integer.parseInt(args.get(index + 1));
            }
            catch (NumberFormatException ex) {
                tail = null;
            }
        }
        return telemetry.podLogs(pod, tail);
    }

    private String inspect(List<String> args) {
        String name = args.size() > 1 ? args.getLast() : "";
        Pod pod = container(name);
        if (pod == null) {
            return "[]\nError: No such object: " + name;
        }
        boolean running = pod.ready;
        return "[\n    {\n        \"Name\": \"/" + pod.name + "\",\n        \"State\": {\n            \"Status\": \""
                + (running ? "running" : "exited") + "\",\n            \"Running\": " + running + ",\n            \"ExitCode\": "
                + (running ? 0 : pod.status.contains("(1)") ? 1 : 0) + "\n        },\n        \"Config\": {\n            \"Image\": \""
                + c.container(pod.service).path("image").asString() + "\"\n        }\n    }\n]";
    }

    private String stats() {
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "NET I/O"));
        for (Pod pod : c.pods) {
            if (pod.ready) {
                table.add(List.of(Integer.toHexString(pod.name.hashCode()), pod.name, (1 + Math.abs(pod.name.hashCode() % 30)) + ".0%",
                        (100 + Math.abs(pod.name.hashCode() % 300)) + "MiB / 7.6GiB", "1.2MB / 900kB"));
            }
        }
        return Tables.format(table);
    }
}
