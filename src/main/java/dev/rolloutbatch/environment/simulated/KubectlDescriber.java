package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl describe} for pods, services, endpoints, deployments, config maps, PVCs and nodes. */
final class KubectlDescriber {

    private final Cluster c;

    KubectlDescriber(Cluster cluster) {
        this.c = cluster;
    }

    String describe(KubectlArgs args, String ns) {
        if (args.positional.isEmpty()) {
            return "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.";
        }
        String first = args.positional.getFirst();
        String kind;
        List<String> names = new ArrayList<>();
        if (first.contains("/")) {
            kind = Kubectl.kind(first.substring(0, first.indexOf('/')));
            names.add(first.substring(first.indexOf('/') + 1));
        }
        else {
            kind = Kubectl.kind(first);
            names.addAll(args.positional.subList(1, args.positional.size()));
        }
        if (!kind.equals("nodes") && (!ns.equals(c.namespace) || c.docker)) {
            return names.isEmpty() ? "No resources found in " + ns + " namespace."
                    : "Error from server (NotFound): " + kind + " \"" + names.getFirst() + "\" not found";
        }
        List<String> candidates = switch (kind) {
            case "pods" -> c.pods.stream().map(p -> p.name).toList();
            case "services", "endpoints" -> List.copyOf(c.services.keySet());
            case "deployments" -> List.copyOf(c.deployments.keySet());
            case "configmaps" -> List.copyOf(c.configMaps.keySet());
            case "pvc" -> List.copyOf(c.pvcs.keySet());
            case "nodes" -> Cluster.NODES;
            default -> List.of();
        };
        List<String> targets = new ArrayList<>();
        if (names.isEmpty()) {
            targets.addAll(candidates);
        }
        for (String name : names) {
            List<String> matching = candidates.stream().filter(n -> n.equals(name)).toList();
            if (matching.isEmpty()) {
                matching = candidates.stream().filter(n -> n.startsWith(name)).toList();
            }
            if (matching.isEmpty()) {
                return "Error from server (NotFound): " + kind + " \"" + name + "\" not found";
            }
            targets.addAll(matching);
        }
        List<String> out = new ArrayList<>();
        for (String name : targets) {
            out.add(switch (kind) {
                case "pods" -> pod(c.pods.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow());
                case "services" -> service(name);
                case "endpoints" -> endpoints(name);
                case "deployments" -> deployment(name);
                case "configmaps" -> configMap(name);
                case "pvc" -> pvc(name);
                case "nodes" -> node(name);
                default -> "error: describe is not supported for " + kind;
            });
        }
        return String.join("\n\n\n", out);
    }

    private String pod(Pod pod) {
        ObjectNode container = c.container(pod.service);
        if (pod.paused) {
            container = container.deepCopy().put("image", Cluster.PAUSE_IMAGE);
        }
        StringBuilder out = new StringBuilder();
        line(out, "Name", pod.name);
        line(out, "Namespace", c.namespace);
        line(out, "Priority", "0");
        line(out, "Node", pod.scheduled() ? pod.node + "/172.18.0." + (pod.node.endsWith("2") ? 3 : 2) : "<none>");
        line(out, "Start Time", SimulatedTime.instant(c.seed, pod.createdAt).toString());
        line(out, "Labels", labels(c.labels(pod)));
        line(out, "Status", pod.status.equals("Pending") ? "Pending" : "Running");
        line(out, "IP", pod.scheduled() ? pod.ip : "");
        line(out, "Controlled By", "ReplicaSet/" + pod.service + "-" + pod.hash);
        out.append("Containers:\n  ").append(container.path("name").asString()).append(":\n");
        container(out, container);
        if (pod.scheduled()) {
            if (pod.waitingReason != null) {
                line(out, "    State", "Waiting");
                line(out, "      Reason", pod.waitingReason);
            }
            else {
                line(out, "    State", "Running");
                line(out, "      Started", SimulatedTime.instant(c.seed, pod.createdAt).toString());
            }
            if (pod.lastTerminated != null) {
                line(out, "    Last State", "Terminated");
                line(out, "      Reason", pod.lastTerminated);
                line(out, "      Exit Code", "1");
            }
            line(out, "    Ready", pod.ready ? "True" : "False");
            line(out, "    Restart Count", String.valueOf(pod.restarts));
        }
        line(out, "    Limits", "cpu: 1, memory: 1Gi");
        line(out, "    Requests", "cpu: 100m, memory: 128Mi");
        JsonNode env = container.get("env");
        if (env != null && !env.isEmpty()) {
            out.append("    Environment:\n");
            env.forEach(e -> out.append("      ").append(e.path("name").asString()).append(":  ")
                .append(e.path("value").asString()).append('\n'));
        }
        out.append("Conditions:\n  Type              Status\n");
        out.append("  PodScheduled      ").append(pod.scheduled() ? "True" : "False").append('\n');
        out.append("  Ready             ").append(pod.ready ? "True" : "False").append('\n');
        JsonNode volumes = c.podSpec(pod.service).get("volumes");
        if (volumes != null && !volumes.isEmpty()) {
            out.append("Volumes:\n");
            volumes.forEach(v -> out.append("  ").append(v.path("name").asString()).append(":\n    ClaimName:  ")
                .append(v.at("/persistentVolumeClaim/claimName").asString()).append('\n'));
        }
        line(out, "Node-Selectors", selector(c.podSpec(pod.service).get("nodeSelector")));
        line(out, "Tolerations", "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s");
        events(out, "pod/" + pod.name);
        return out.toString().stripTrailing();
    }

    private String service(String name) {
        ObjectNode svc = c.services.peek(name);
        StringBuilder out = new StringBuilder();
        line(out, "Name", name);
        line(out, "Namespace", c.namespace);
        line(out, "Labels", labels(Kubectl.labelsOf(svc)));
        line(out, "Selector", Kubectl.selectorText(svc.at(Pointers.SELECTOR)));
        line(out, "Type", svc.at(Pointers.SERVICE_TYPE).asString());
        line(out, "IP Family Policy", "SingleStack");
        line(out, "IP", svc.at(Pointers.CLUSTER_IP).asString());
        for (JsonNode port : svc.at(Pointers.PORTS)) {
            line(out, "Port", port.path("name").asString() + "  " + port.path("port").asInt() + "/TCP");
            line(out, "TargetPort", Cluster.targetPort(port) + "/TCP");
            line(out, "Endpoints", endpointList(name));
        }
        line(out, "Session Affinity", "None");
        line(out, "Events", "<none>");
        return out.toString().stripTrailing();
    }

    private String endpointList(String name) {
        List<String> parts = new ArrayList<>();
        ObjectNode json = c.endpointsJson(name);
        for (JsonNode subset : json.get("subsets")) {
            for (JsonNode address : subset.get("addresses")) {
                parts.add(address.path("ip").asString() + ":" + subset.at("/ports/0/port").asInt());
            }
        }
        return parts.isEmpty() ? "<none>" : String.join(",", parts);
    }

    private String endpoints(String name) {
        StringBuilder out = new StringBuilder();
        line(out, "Name", name);
        line(out, "Namespace", c.namespace);
        line(out, "Labels", labels(Kubectl.labelsOf(c.services.peek(name))));
        out.append("Subsets:\n");
        line(out, "  Addresses", endpointList(name).replaceAll(":\\d+", ""));
        JsonNode port = c.services.peek(name).at(Pointers.FIRST_PORT);
        out.append("  Ports:\n    Name  Port  Protocol\n    ----  ----  --------\n    ")
            .append(port.path("name").asString()).append("  ").append(Cluster.targetPort(port)).append("  TCP\n");
        line(out, "Events", "<none>");
        return out.toString().stripTrailing();
    }

    private String deployment(String name) {
        ObjectNode d = c.deployments.peek(name);
        ObjectNode container = c.container(name);
        List<Pod> pods = c.podsOf(name);
        long ready = pods.stream().filter(p -> p.ready).count();
        StringBuilder out = new StringBuilder();
        line(out, "Name", name);
        line(out, "Namespace", c.namespace);
        line(out, "Labels", labels(Kubectl.labelsOf(d)));
        line(out, "Annotations", "deployment.kubernetes.io/revision: "
                + d.at(Pointers.REVISION).asString());
        line(out, "Selector", Kubectl.selectorText(d.at(Pointers.MATCH_LABELS)));
        line(out, "Replicas", c.replicas(name) + " desired | " + pods.size() + " updated | " + pods.size() + " total | "
                + ready + " available | " + (pods.size() - ready) + " unavailable");
        line(out, "StrategyType", "RollingUpdate");
        out.append("Pod Template:\n");
        line(out, "  Labels", labels(Kubectl.labelsOf(d.at(Pointers.TEMPLATE))));
        out.append("  Containers:\n   ").append(container.path("name").asString()).append(":\n");
        container(out, container);
        JsonNode env = container.get("env");
        if (env != null && !env.isEmpty()) {
            out.append("    Environment:\n");
            env.forEach(e -> out.append("      ").append(e.path("name").asString()).append(":  ")
                .append(e.path("value").asString()).append('\n'));
        }
        line(out, "  Node-Selectors", selector(c.podSpec(name).get("nodeSelector")));
        out.append("Conditions:\n  Type           Status  Reason\n");
        out.append("  Available      ").append(ready >= c.replicas(name) ? "True    MinimumReplicasAvailable"
                : "False   MinimumReplicasUnavailable").append('\n');
        out.append("  Progressing    True    NewReplicaSetAvailable\n");
        line(out, "NewReplicaSet", pods.isEmpty() ? "<none>" : name + "-" + pods.getFirst().hash + " (" + pods.size() + "/"
                + c.replicas(name) + " replicas created)");
        events(out, "deployment/" + name);
        return out.toString().stripTrailing();
    }

    private String configMap(String name) {
        ObjectNode cm = c.configMaps.peek(name);
        StringBuilder out = new StringBuilder();
        line(out, "Name", name);
        line(out, "Namespace", c.namespace);
        out.append("\nData\n====\n");
        cm.path("data").properties().forEach(e -> out.append(e.getKey()).append(":\n----\n")
            .append(e.getValue().asString()).append("\n\n"));
        out.append("BinaryData\n====\n\nEvents:  <none>");
        return out.toString();
    }

    private String pvc(String name) {
        ObjectNode pvc = c.pvcs.peek(name);
        StringBuilder out = new StringBuilder();
        line(out, "Name", name);
        line(out, "Namespace", c.namespace);
        line(out, "StorageClass", pvc.at(Pointers.STORAGE_CLASS).asString());
        line(out, "Status", pvc.at(Pointers.PHASE).asString());
        line(out, "Volume", pvc.at(Pointers.VOLUME_NAME).asString());
        line(out, "Capacity", "Bound".equals(pvc.at(Pointers.PHASE).asString()) ? "1Gi" : "");
        line(out, "Access Modes", "RWO");
        if (!"Bound".equals(pvc.at(Pointers.PHASE).asString())) {
            out.append("Events:\n  Type     Reason              Age   From                         Message\n");
            out.append("  Warning  ProvisioningFailed  2m    persistentvolume-controller  storageclass.storage.k8s.io \"standard\": "
                    + "volume \"" + pvc.at(Pointers.VOLUME_NAME).asString() + "\" not found; waiting for a volume to be created\n");
        }
        else {
            line(out, "Events", "<none>");
        }
        return out.toString().stripTrailing();
    }

    private String node(String name) {
        StringBuilder out = new StringBuilder();
        line(out, "Name", name);
        line(out, "Roles", name.contains("control") ? "control-plane" : "<none>");
        line(out, "Labels", "kubernetes.io/hostname=" + name + ",kubernetes.io/os=linux");
        line(out, "Taints", name.contains("control") ? "node-role.kubernetes.io/control-plane:NoSchedule" : "<none>");
        out.append("Conditions:\n  Type             Status  Reason\n  MemoryPressure   False   KubeletHasSufficientMemory\n"
                + "  DiskPressure     False   KubeletHasNoDiskPressure\n  Ready            True    KubeletReady\n");
        long pods = c.pods.stream().filter(p -> p.node.equals(name)).count();
        line(out, "Non-terminated Pods", "(" + pods + " in total)");
        return out.toString().stripTrailing();
    }

    private void events(StringBuilder out, String object) {
        List<Event> events = c.events.stream().filter(e -> e.object().equals(object)).toList();
        if (events.isEmpty()) {
            line(out, "Events", "<none>");
            return;
        }
        out.append("Events:\n  Type     Reason            Age   Message\n  ----     ------            ----  -------\n");
        for (Event e : events) {
            out.append(String.format("  %-8s %-17s %-5s %s%n", e.type(), e.reason(), SimulatedTime.age(Math.max(1, c.now - e.at())), e.message()));
        }
    }

    private static String selector(JsonNode selector) {
        if (selector == null || selector.isEmpty()) {
            return "<none>";
        }
        return Kubectl.selectorText(selector);
    }

    private static String labels(Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        labels.forEach((k, v) -> parts.add(k + "=" + v));
        return parts.isEmpty() ? "<none>" : String.join("\n                  ", parts);
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format("%-18s%s%n", key + ":", value));
    }

    /** A container's image, port, command and args, as pods and deployment templates describe them. */
    private static void container(StringBuilder out, JsonNode container) {
        line(out, "    Image", container.path("image").asString());
        line(out, "    Port", container.at("/ports/0/containerPort").asInt() + "/TCP");
        if (container.has("command")) {
            out.append("    Command:\n");
            container.get("command").forEach(w -> out.append("      ").append(w.asString()).append('\n'));
        }
        if (container.has("args")) {
            out.append("    Args:\n");
            container.get("args").forEach(w -> out.append("      ").append(w.asString()).append('\n'));
        }
    }
}
