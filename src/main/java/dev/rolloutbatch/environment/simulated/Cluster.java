package dev.rolloutbatch.environment.simulated;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.catalog.Problem;

/**
 * The modelled state of one application's namespace: deployments, services, config maps and persistent volume
 * claims as Kubernetes-shaped JSON (so patches apply to them naturally), pods derived from the deployments by
 * {@link #reconcile()}, and events. Time is a counter of seconds, advanced per step, never the wall clock.
 */
final class Cluster {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> NODES = List.of("kind-control-plane", "kind-worker", "kind-worker2");
    /**
     * The image Chaos Mesh's pod-failure puts in place of a container's own (its default, as AIOpsLab's
     * chaos-mesh install leaves it). Chaos Mesh: controllers/config (POD_FAILURE_PAUSE_IMAGE), helm/chaos-mesh/values.yaml
     */
    static final String PAUSE_IMAGE = "gcr.io/google-containers/pause:latest";
    private static final String ALNUM = "bcdfghjklmnpqrstvwxz2456789";

    final Topology topology;
    final Problem problem;
    final String namespace;
    final long seed;
    final boolean docker;
    final CopyOnGetObjects deployments = new CopyOnGetObjects();
    final CopyOnGetObjects services = new CopyOnGetObjects();
    final CopyOnGetObjects configMaps = new CopyOnGetObjects();
    final CopyOnGetObjects pvcs = new CopyOnGetObjects();
    /** Chaos Mesh experiments by kind ("podchaos", "networkchaos"), then name. */
    final Map<String, Map<String, ObjectNode>> chaos = Map.of("podchaos", new LinkedHashMap<>(), "networkchaos",
            new LinkedHashMap<>());
    final Map<String, Deque<JsonNode>> history = new HashMap<>();
    final List<Pod> pods = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final Set<String> flags = new HashSet<>();
    final SplittableRandom random;
    FaultModel fault = FaultModel.NONE;
    /** The pod a Chaos Mesh experiment selected, or null. */
    String chaosTarget;
    long chaosInjectedAt;
    long now = 900;
    /** {@code String.hashCode()} of each deployment's serialised pod template, until the template may have changed. */
    private final Map<String, Integer> templateTextHashes = new HashMap<>();

    Cluster(Topology topology, Problem problem, long seed) {
        this.topology = topology;
        this.problem = problem;
        this.namespace = problem.namespace();
        this.seed = seed;
        this.docker = "docker".equals(problem.deployment());
        this.random = new SplittableRandom(seed ^ problem.id().hashCode() * 0x9E3779B97F4A7C15L);
    }

    String labelKey() {
        return topology.app().podLabelKey();
    }

    String randomName(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        return out.toString();
    }

    String randomNameFrom(SplittableRandom r, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(ALNUM.charAt(r.nextInt(ALNUM.length())));
        }
        return out.toString();
    }

    /** Replaces a deployment's pod template, keeping the old one for {@code rollout undo}. */
    void updateTemplate(String deployment, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode d = deployments.get(deployment);
        newRevision(deployment, d.at(Pointers.TEMPLATE).deepCopy(), d);
        change.accept((ObjectNode) d.at(Pointers.TEMPLATE));
    }

    /**
     * Deletes a deployment and applies an edited copy, as AIOpsLab's delete-and-apply injections do: the new
     * deployment starts again at revision 1 with no history, so {@code rollout undo} has nothing to go back to.
     */
    void recreate(String deployment, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode d = deployments.get(deployment);
        change.accept((ObjectNode) d.at(Pointers.TEMPLATE));
        history.remove(deployment);
        templateTextHashes.remove(deployment);
        ((ObjectNode) d.get("metadata").get("annotations")).put("deployment.kubernetes.io/revision", "1");
        pods.removeIf(p -> p.service.equals(deployment));
    }

    /** {@code kubectl rollout restart}: a new revision whose template differs by its restartedAt annotation. */
    void rolloutRestart(String deployment) {
        ObjectNode d = deployments.get(deployment);
        ObjectNode template = (ObjectNode) d.at(Pointers.TEMPLATE);
        newRevision(deployment, template.deepCopy(), d);
        ObjectNode meta = (ObjectNode) template.get("metadata");
        ObjectNode annotations = meta.has("annotations") ? (ObjectNode) meta.get("annotations") : meta.putObject("annotations");
        annotations.put("kubectl.kubernetes.io/restartedAt", SimulatedTime.timestamp(seed, now));
    }

    /**
     * Records a new revision of a deployment: the pod template it had goes to the history {@code rollout undo}
     * pops, and {@code revised} (the deployment object that stays) gets the next revision number.
     */
    void newRevision(String deployment, JsonNode previousTemplate, ObjectNode revised) {
        history.computeIfAbsent(deployment, k -> new ArrayDeque<>()).push(previousTemplate);
        templateTextHashes.remove(deployment);
        bumpRevision(revised);
    }

    /** Text hashes of templates as they are now, computed elsewhere (see {@link #templateTextHash}). */
    void templatesKnown(Map<String, Integer> textHashes) {
        templateTextHashes.putAll(textHashes);
    }

    /** To be called after anything that may have edited pod templates in place (every kubectl write does). */
    void templatesMayHaveChanged() {
        templateTextHashes.clear();
    }

    void bumpRevision(ObjectNode d) {
        ObjectNode annotations = (ObjectNode) d.get("metadata").get("annotations");
        int revision = Integer.parseInt(annotations.get("deployment.kubernetes.io/revision").asString()) + 1;
        annotations.put("deployment.kubernetes.io/revision", String.valueOf(revision));
    }

    /** To be read: changing it needs the deployment from {@code deployments.get} first (see {@link CopyOnGetObjects}). */
    ObjectNode podSpec(String deployment) {
        return (ObjectNode) deployments.peek(deployment).at(Pointers.POD_SPEC);
    }

    /** To be read, like {@link #podSpec}. */
    ObjectNode container(String deployment) {
        return (ObjectNode) podSpec(deployment).get("containers").get(0);
    }

    int replicas(String deployment) {
        return deployments.peek(deployment).at(Pointers.REPLICAS).asInt(1);
    }

    List<Pod> podsOf(String service) {
        return pods.stream().filter(p -> p.service.equals(service)).toList();
    }

    void event(String type, String reason, String object, String message) {
        events.add(new Event(now, type, reason, object, message));
    }

    /** Brings pods in line with deployments (rolling replacement on template change) and recomputes states. */
    void reconcile() {
        // grouped once: handling one deployment only removes and adds that deployment's pods
        Map<String, List<Pod>> byService = new HashMap<>();
        for (Pod pod : pods) {
            byService.computeIfAbsent(pod.service, k -> new ArrayList<>()).add(pod);
        }
        for (Map.Entry<String, ObjectNode> entry : deployments.entrySet()) {
            String name = entry.getKey();
            String hash = templateHash(name, entry.getValue());
            List<Pod> owned = byService.getOrDefault(name, new ArrayList<>());
            for (Iterator<Pod> it = owned.iterator(); it.hasNext();) {
                Pod pod = it.next();
                if (!pod.hash.equals(hash)) {
                    pods.remove(pod);
                    it.remove();
                    event("Normal", "Killing", "pod/" + pod.name, "Stopping container " + topology.container(name));
                }
            }
            int desired = replicas(name);
            while (owned.size() > desired) {
                Pod gone = owned.removeLast();
                pods.remove(gone);
                event("Normal", "Killing", "pod/" + gone.name, "Stopping container " + topology.container(name));
            }
            while (owned.size() < desired) {
                Pod pod = newPod(name, hash);
                pods.add(pod);
                owned.add(pod);
            }
        }
        FaultActivity activity = new FaultActivity(this);
        for (Pod pod : pods) {
            state(pod, activity);
        }
    }

    /** Whether the fault is active, asked at most once per reconcile (pod states do not feed into it), when first needed. */
    private static final class FaultActivity {

        private final Cluster cluster;
        private Boolean active;

        FaultActivity(Cluster cluster) {
            this.cluster = cluster;
        }

        boolean active() {
            if (active == null) {
                active = cluster.fault.active(cluster);
            }
            return active;
        }
    }

    Pod newPod(String service, String hash) {
        String podName = docker ? service : service + "-" + hash + "-" + randomName(5);
        String node = docker ? "docker" : NODES.get(1 + random.nextInt(2));
        Pod pod = new Pod(podName, service, hash, node,
                "10.244." + (node.endsWith("2") ? 2 : 1) + "." + (2 + random.nextInt(250)), now);
        ObjectNode config = configMaps.peek(service);
        if (config != null && config.at(Pointers.MONGOD_CONF).isString()) {
            pod.mountedConfig = config.at(Pointers.MONGOD_CONF).asString();
        }
        if (now > 900) {
            event("Normal", "Scheduled", "pod/" + podName, "Successfully assigned " + namespace + "/" + podName + " to " + node);
        }
        return pod;
    }

    private String templateHash(String name, ObjectNode deployment) {
        int text = templateTextHashes.computeIfAbsent(name, k -> templateTextHash(deployment));
        SplittableRandom r = new SplittableRandom(seed * 31 + text);
        StringBuilder out = new StringBuilder();
        int length = docker ? 0 : 9 + r.nextInt(2);
        for (int i = 0; i < length; i++) {
            out.append(ALNUM.charAt(r.nextInt(ALNUM.length())));
        }
        return out.toString();
    }

    /** What a deployment's pod-template hash derives from, with the seed. */
    static int templateTextHash(ObjectNode deployment) {
        return deployment.get("spec").get("template").toString().hashCode();
    }

    private void state(Pod pod, FaultActivity activity) {
        String service = pod.service;
        String unschedulable = unschedulableReason(service);
        pod.waitingReason = null;
        if (unschedulable != null) {
            pod.status = "Pending";
            pod.ready = false;
            pod.node = "<none>";
            addOnce("Warning", "FailedScheduling", "pod/" + pod.name, unschedulable);
            return;
        }
        if (pod.node.equals("<none>")) {
            pod.node = NODES.get(1 + random.nextInt(2));
        }
        FaultModel.PodFault f = fault.podFault(service, activity.active());
        if (chaosTarget != null && !pod.name.equals(chaosTarget)) {
            f = FaultModel.PodFault.NONE;
        }
        pod.paused = false;
        switch (f) {
            case CRASH -> {
                pod.status = docker ? "Exited (1)" : "CrashLoopBackOff";
                pod.ready = false;
                pod.waitingReason = "CrashLoopBackOff";
                pod.lastTerminated = "Error";
                if (pod.restarts == 0) {
                    pod.restarts = 3 + random.nextInt(4);
                }
                addOnce("Warning", "BackOff", "pod/" + pod.name, "Back-off restarting failed container "
                        + topology.container(service) + " in pod " + pod.name + "_" + namespace);
            }
            case STOPPED -> {
                pod.status = "Exited (0)";
                pod.ready = false;
            }
            case PAUSED -> {
                // AIOpsLab: aiopslab/generators/fault/inject_symp.py (PodChaos action pod-failure): Chaos Mesh swaps
                // the image for a pause image; the container restarts once and the pod stays Running and Ready.
                pod.status = docker ? "Up 2 minutes" : "Running";
                pod.ready = true;
                pod.paused = true;
                pod.restarts = Math.max(pod.restarts, 1);
                addOnce("Normal", "Pulled", "pod/" + pod.name, "Container image \"" + PAUSE_IMAGE + "\" already present on machine");
            }
            case RESTARTED -> {
                pod.status = docker ? "Up 2 minutes" : "Running";
                pod.ready = true;
                pod.restarts = Math.max(pod.restarts, 1);
                pod.lastTerminated = "Error";
            }
            case NONE -> {
                pod.status = docker ? "Up 14 minutes" : "Running";
                pod.ready = true;
            }
        }
    }

    private void addOnce(String type, String reason, String object, String message) {
        boolean seen = events.stream().anyMatch(e -> e.object().equals(object) && e.reason().equals(reason));
        if (!seen) {
            event(type, reason, object, message);
        }
    }

    /** Why a pod of this deployment cannot be scheduled, or null. */
    @Nullable String unschedulableReason(String service) {
        if (docker) {
            return null;
        }
        JsonNode selector = podSpec(service).get("nodeSelector");
        if (selector != null && selector.isObject()) {
            for (Map.Entry<String, JsonNode> e : selector.properties()) {
                boolean known = e.getKey().equals("kubernetes.io/hostname") ? NODES.contains(e.getValue().asString())
                        : e.getKey().equals("kubernetes.io/os") && e.getValue().asString().equals("linux");
                if (!known) {
                    return "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
                            + "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: "
                            + "3 Preemption is not helpful for scheduling.";
                }
            }
        }
        JsonNode volumes = podSpec(service).get("volumes");
        if (volumes != null) {
            for (JsonNode volume : volumes) {
                JsonNode claim = volume.get("persistentVolumeClaim");
                if (claim != null) {
                    ObjectNode pvc = pvcs.peek(claim.path("claimName").asString());
                    if (pvc == null) {
                        return "0/3 nodes are available: persistentvolumeclaim \"" + claim.path("claimName").asString()
                                + "\" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
                    }
                    if (!"Bound".equals(pvc.at(Pointers.PHASE).asString())) {
                        return "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: "
                                + "0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
                    }
                }
            }
        }
        return null;
    }

    /** The application is whole (none of its deployments or services deleted) and every pod is ready. */
    boolean allReady() {
        List<String> app = topology.app().services();
        return !pods.isEmpty() && deployments.keySet().containsAll(app) && (docker || services.keySet().containsAll(app))
                && pods.stream().allMatch(p -> p.ready)
                && deployments.keySet().stream().allMatch(d -> podsOf(d).size() >= replicas(d));
    }

    /** The ready pods a service selects, with the port the endpoints name. */
    List<Pod> endpointPods(String service) {
        JsonNode selector = services.peek(service).at(Pointers.SELECTOR);
        List<Pod> result = new ArrayList<>();
        for (Pod pod : pods) {
            if (pod.ready && matches(labels(pod), selector)) {
                result.add(pod);
            }
        }
        return result;
    }

    Map<String, String> labels(Pod pod) {
        Map<String, String> labels = new LinkedHashMap<>();
        ObjectNode d = deployments.peek(pod.service);
        if (d != null) {
            d.at(Pointers.TEMPLATE_LABELS).properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        }
        labels.put("pod-template-hash", pod.hash);
        return labels;
    }

    static boolean matches(Map<String, String> labels, JsonNode selector) {
        if (selector == null || !selector.isObject() || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : selector.properties()) {
            if (!e.getValue().asString().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** A pod as {@code kubectl get pod -o json} shows it. */
    ObjectNode podJson(Pod pod) {
        ObjectNode root = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = root.putObject("metadata").put("name", pod.name).put("namespace", namespace)
            .put("creationTimestamp", SimulatedTime.timestamp(seed, pod.createdAt));
        ObjectNode labels = meta.putObject("labels");
        labels(pod).forEach(labels::put);
        meta.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet")
            .put("name", pod.service + "-" + pod.hash).put("controller", true);
        ObjectNode spec = (ObjectNode) deployments.peek(pod.service).at(Pointers.POD_SPEC).deepCopy();
        if (pod.paused) {
            ((ObjectNode) spec.get("containers").get(0)).put("image", PAUSE_IMAGE);
        }
        if (pod.scheduled()) {
            spec.put("nodeName", pod.node);
        }
        root.set("spec", spec);
        ObjectNode status = root.putObject("status").put("phase", pod.status.equals("Pending") ? "Pending" : "Running");
        ArrayNode conditions = status.putArray("conditions");
        conditions.addObject().put("type", "PodScheduled").put("status", pod.scheduled() ? "True" : "False");
        conditions.addObject().put("type", "Ready").put("status", pod.ready ? "True" : "False");
        if (pod.scheduled()) {
            status.put("hostIP", "172.18.0." + (pod.node.endsWith("2") ? 3 : 2)).put("podIP", pod.ip);
            ObjectNode cs = status.putArray("containerStatuses").addObject()
                .put("name", topology.container(pod.service)).put("ready", pod.ready)
                .put("restartCount", pod.restarts)
                .put("image", pod.paused ? PAUSE_IMAGE : container(pod.service).path("image").asString());
            if (pod.waitingReason != null) {
                cs.putObject("state").putObject("waiting").put("reason", pod.waitingReason)
                    .put("message", "back-off 5m0s restarting failed container=" + topology.container(pod.service));
            }
            else {
                cs.putObject("state").putObject("running").put("startedAt", SimulatedTime.timestamp(seed, pod.createdAt));
            }
            if (pod.lastTerminated != null) {
                cs.putObject("lastState").putObject("terminated").put("exitCode", 1).put("reason", pod.lastTerminated);
            }
        }
        return root;
    }

    ObjectNode endpointsJson(String service) {
        ObjectNode root = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Endpoints");
        root.putObject("metadata").put("name", service).put("namespace", namespace);
        List<Pod> ready = endpointPods(service);
        ArrayNode subsets = root.putArray("subsets");
        if (!ready.isEmpty()) {
            ObjectNode subset = subsets.addObject();
            ArrayNode addresses = subset.putArray("addresses");
            for (Pod pod : ready) {
                addresses.addObject().put("ip", pod.ip).put("nodeName", pod.node)
                    .putObject("targetRef").put("kind", "Pod").put("name", pod.name).put("namespace", namespace);
            }
            ArrayNode ports = subset.putArray("ports");
            for (JsonNode port : services.peek(service).at(Pointers.PORTS)) {
                ports.addObject().put("name", port.path("name").asString()).put("port", targetPort(port))
                    .put("protocol", "TCP");
            }
        }
        return root;
    }

    static int targetPort(JsonNode port) {
        JsonNode target = port.get("targetPort");
        return target == null ? port.path("port").asInt() : target.asInt(port.path("port").asInt());
    }
}
