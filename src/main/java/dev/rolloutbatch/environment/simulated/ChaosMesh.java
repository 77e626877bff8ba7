package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import tools.jackson.databind.node.ObjectNode;

/**
 * The Chaos Mesh experiments of the symptom families, as AIOpsLab applies them, and the chaos-mesh namespace its
 * injector installs. An experiment is in effect while its object exists; deleting it (what AIOpsLab's own recovery
 * does) ends the fault.
 * AIOpsLab: aiopslab/generators/fault/inject_symp.py (experiment specs, Helm chart chaos-mesh 2.6.2 in namespace
 * chaos-mesh) and aiopslab/orchestrator/problems/{pod_failure,pod_kill,network_loss,network_delay,container_kill}/
 * (durations and targets).
 */
final class ChaosMesh {

    static final String NAMESPACE = "chaos-mesh";
    private static final String API_VERSION = "chaos-mesh.org/v1alpha1";

    private ChaosMesh() {
    }

    /** The resource kind ("podchaos" or "networkchaos") of a family's experiment, or null. */
    static String kind(String family) {
        return switch (family) {
            case "pod_failure_hotel_res", "pod_kill_hotel_res", "container_kill" -> "podchaos";
            case "network_loss_hotel_res", "network_delay_hotel_res" -> "networkchaos";
            default -> null;
        };
    }

    private static String name(String family) {
        return switch (family) {
            case "pod_failure_hotel_res" -> "pod-failure-experiment";
            case "pod_kill_hotel_res" -> "pod-kill";
            case "container_kill" -> "container-kill";
            case "network_loss_hotel_res" -> "loss";
            default -> "delay";
        };
    }

    /**
     * The experiment exists and the pod it selected still runs: Chaos Mesh acts on the pods it selected at
     * injection, so a replacement pod is healthy.
     */
    static boolean present(Cluster c, String family) {
        return c.chaos.get(kind(family)).containsKey(name(family))
                && c.pods.stream().anyMatch(p -> p.name.equals(c.chaosTarget));
    }

    static void inject(Cluster c, String family, String service) {
        String kind = kind(family);
        ObjectNode root = Cluster.JSON.createObjectNode().put("apiVersion", API_VERSION)
            .put("kind", kind.equals("podchaos") ? "PodChaos" : "NetworkChaos");
        root.putObject("metadata").put("name", name(family)).put("namespace", c.namespace)
            .put("creationTimestamp", SimulatedTime.timestamp(c.seed, c.now));
        ObjectNode spec = root.putObject("spec");
        switch (family) {
            // pod_kill is injected with the pod-failure action so the pod is not simply re-created
            case "pod_failure_hotel_res", "pod_kill_hotel_res" -> spec.put("action", "pod-failure").put("duration", "100s");
            case "container_kill" -> spec.put("action", "container-kill").put("duration", "200s");
            case "network_loss_hotel_res" -> spec.put("action", "loss").put("duration", "200s");
            default -> spec.put("action", "delay").put("duration", "200s");
        }
        spec.put("mode", "one");
        ObjectNode selector = spec.putObject("selector");
        if (family.equals("network_loss_hotel_res")) {
            selector.putArray("namespaces").add(c.namespace);
        }
        selector.putObject("labelSelectors").put(c.labelKey(), service);
        switch (family) {
            case "container_kill" -> spec.putArray("containerNames").add(c.topology.container(service));
            case "network_loss_hotel_res" -> spec.putObject("loss").put("loss", "99").put("correlation", "100");
            case "network_delay_hotel_res" -> spec.putObject("delay").put("latency", "10s").put("correlation", "100")
                .put("jitter", "0ms");
            default -> {
            }
        }
        // mode "one": a single pod of the selector is chosen
        List<Pod> candidates = c.podsOf(service);
        Pod target = candidates.get(c.random.nextInt(candidates.size()));
        c.chaosTarget = target.name;
        c.chaosInjectedAt = c.now;
        ObjectNode status = root.putObject("status");
        ObjectNode experiment = status.putObject("experiment").put("desiredPhase", "Run");
        experiment.putArray("containerRecords").addObject().put("id", c.namespace + "/" + target.name)
            .put("phase", "Injected").put("selectorKey", ".");
        var conditions = status.putArray("conditions");
        conditions.addObject().put("type", "Selected").put("status", "True");
        conditions.addObject().put("type", "AllInjected").put("status", "True");
        conditions.addObject().put("type", "AllRecovered").put("status", "False");
        conditions.addObject().put("type", "Paused").put("status", "False");
        c.chaos.get(kind).put(name(family), root);
        if (family.equals("container_kill")) {
            c.event("Normal", "Killing", "pod/" + target.name,
                    "Stopping container " + c.topology.container(service));
        }
    }

    /**
     * The pods of the chaos-mesh namespace: the chart's defaults (three controller managers, a daemon on each
     * schedulable node, a dashboard, no DNS server). Names derive from the seed.
     * Chaos Mesh: helm/chaos-mesh/values.yaml (controllerManager.replicaCount 3, dashboard.create, dnsServer.create false)
     */
    static List<String[]> pods(Cluster c) {
        SplittableRandom r = new SplittableRandom(c.seed ^ 0x5EEDC4A05L);
        String controllerHash = c.randomNameFrom(r, 9);
        String dashboardHash = c.randomNameFrom(r, 9);
        List<String[]> pods = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pods.add(new String[] {"chaos-controller-manager-" + controllerHash + "-" + c.randomNameFrom(r, 5),
                Cluster.NODES.get(1 + i % 2)});
        }
        pods.add(new String[] {"chaos-daemon-" + c.randomNameFrom(r, 5), Cluster.NODES.get(1)});
        pods.add(new String[] {"chaos-daemon-" + c.randomNameFrom(r, 5), Cluster.NODES.get(2)});
        pods.add(new String[] {"chaos-dashboard-" + dashboardHash + "-" + c.randomNameFrom(r, 5), Cluster.NODES.get(2)});
        return pods;
    }
}
