package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** kubectl against the modelled cluster: read commands print, write commands change the model. */
final class Kubectl {

    private static final List<String> KUBE_SYSTEM = List.of("coredns-5d78c9869d-", "coredns-5d78c9869d-",
            "etcd-kind-control-plane", "kube-apiserver-kind-control-plane", "kube-controller-manager-kind-control-plane",
            "kube-proxy-", "kube-proxy-", "kube-proxy-", "kube-scheduler-kind-control-plane");

    private static final Pattern SELECTOR_EQUALS = Pattern.compile("==?");

    private final Cluster c;
    private final Telemetry telemetry;
    private final KubectlWriter writer;

    Kubectl(Cluster cluster, Telemetry telemetry) {
        this.c = cluster;
        this.telemetry = telemetry;
        this.writer = new KubectlWriter(cluster);
    }

    String run(List<String> words) {
        if (words.isEmpty()) {
            return "kubectl controls the Kubernetes cluster manager.\n\nBasic Commands: create, expose, run, set, get, "
                    + "edit, delete, describe, logs, exec, patch, scale, rollout, top";
        }
        String verb = words.getFirst();
        KubectlArgs args = new KubectlArgs(words.subList(1, words.size()), verb.equals("patch"));
        String ns = args.get("n", "namespace");
        if (ns == null) {
            ns = "default";
        }
        boolean all = args.has("A", "all-namespaces");
        try {
            return switch (verb) {
                case "get" -> get(args, ns, all);
                case "describe" -> new KubectlDescriber(c).describe(args, ns);
                case "logs" -> logs(args, ns);
                case "top" -> top(args, ns);
                case "patch", "scale", "set", "rollout", "delete", "exec", "apply", "create", "label", "annotate",
                        "replace", "cordon", "uncordon", "drain" -> writer.run(verb, args, ns);
                case "version" -> "Client Version: v1.30.2\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\nServer Version: v1.30.0";
                case "cluster-info" -> "Kubernetes control plane is running at https://127.0.0.1:40465\n"
                        + "CoreDNS is running at https://127.0.0.1:40465/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy";
                case "config" -> "kind-kind";
                case "api-resources" -> "NAME          SHORTNAMES   APIVERSION   NAMESPACED   KIND\nconfigmaps    cm           v1           true         ConfigMap\n"
                        + "endpoints     ep           v1           true         Endpoints\nevents        ev           v1           true         Event\n"
                        + "nodes         no           v1           false        Node\npods          po           v1           true         Pod\n"
                        + "services      svc          v1           true         Service\ndeployments   deploy       apps/v1      true         Deployment";
                default -> "error: unknown command \"" + verb + "\" for \"kubectl\"\nRun 'kubectl --help' for usage.";
            };
        }
        catch (KubectlError ex) {
            return ex.getMessage();
        }
    }

    /** An error kubectl would print. */
    static final class KubectlError extends RuntimeException {
        KubectlError(String message) {
            super(message, null, false, false);
        }
    }

    static String kind(String word) {
        String w = word.toLowerCase(java.util.Locale.ROOT);
        int dot = w.indexOf('.');
        if (dot > 0) {
            w = w.substring(0, dot);
        }
        return switch (w) {
            case "po", "pod", "pods" -> "pods";
            case "svc", "service", "services" -> "services";
            case "ep", "endpoint", "endpoints" -> "endpoints";
            case "deploy", "deployment", "deployments" -> "deployments";
            case "cm", "configmap", "configmaps" -> "configmaps";
            case "ev", "event", "events" -> "events";
            case "no", "node", "nodes" -> "nodes";
            case "ns", "namespace", "namespaces" -> "namespaces";
            case "pvc", "persistentvolumeclaim", "persistentvolumeclaims" -> "pvc";
            case "pv", "persistentvolume", "persistentvolumes" -> "pv";
            case "rs", "replicaset", "replicasets" -> "replicasets";
            case "podchaos" -> "podchaos";
            case "networkchaos" -> "networkchaos";
            case "all" -> "all";
            default -> throw new KubectlError("error: the server doesn't have a resource type \"" + word + "\"");
        };
    }

    static String singular(String kind) {
        return switch (kind) {
            case "pods" -> "pod";
            case "services" -> "service";
            case "deployments" -> "deployment.apps";
            case "configmaps" -> "configmap";
            case "endpoints" -> "endpoints";
            case "nodes" -> "node";
            case "namespaces" -> "namespace";
            case "pvc" -> "persistentvolumeclaim";
            case "replicasets" -> "replicaset.apps";
            case "podchaos" -> "podchaos.chaos-mesh.org";
            case "networkchaos" -> "networkchaos.chaos-mesh.org";
            default -> kind;
        };
    }

    private String get(KubectlArgs args, String ns, boolean all) {
        if (args.positional.isEmpty()) {
            return "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.";
        }
        Targets targets = Targets.of(args.positional);
        List<String> kinds = targets.kinds();
        List<String> names = targets.names();
        String output = args.get("o", "output");
        boolean printsObjects = output != null && !output.equals("wide") && !output.equals("name");
        String selector = args.get("l", "selector");
        List<String> sections = new ArrayList<>();
        List<JsonNode> items = new ArrayList<>();
        for (String kind : kinds.stream().distinct().toList()) {
            List<Row> rows = rows(kind, ns, all, selector);
            if (!names.isEmpty() && kinds.size() == 1 || args.positional.getFirst().contains("/")) {
                Named named = named(rows, kind, names, args.positional);
                if (named.missing() != null) {
                    return "Error from server (NotFound): " + kind + " \"" + named.missing() + "\" not found";
                }
                if (named.rows().isEmpty()) {
                    continue;
                }
                rows = named.rows();
            }
            if (printsObjects) {
                for (Row row : rows) {
                    if (row.json != null) {
                        items.add(row.json.get());
                    }
                }
            }
            else if (!rows.isEmpty()) {
                sections.add(Tables.render(kind, rows, output, all, args.has(null, "show-labels"),
                        kinds.size() > 1 || args.positional.getFirst().equals("all"), args.has(null, "no-headers")));
            }
        }
        if (printsObjects) {
            return print(items.size() == 1 && !names.isEmpty() ? items.getFirst() : list(items), output);
        }
        if (sections.isEmpty()) {
            return all ? "No resources found" : "No resources found in " + ns + " namespace.";
        }
        return String.join("\n\n", sections);
    }

    /**
     * What {@code kubectl get} was asked for: {@code kind[,kind] [name...]} or {@code kind/name...}; {@code all}
     * stands for pods, services, deployments and replica sets.
     */
    private record Targets(List<String> kinds, List<String> names) {

        static Targets of(List<String> positional) {
            List<String> kinds = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String token : positional) {
                if (token.contains("/")) {
                    kinds.add(kind(token.substring(0, token.indexOf('/'))));
                    names.add(token.substring(token.indexOf('/') + 1));
                }
                else if (kinds.isEmpty()) {
                    for (String k : token.split(",")) {
                        kinds.add(kind(k));
                    }
                }
                else {
                    names.add(token);
                }
            }
            if (kinds.contains("all")) {
                kinds.remove("all");
                kinds.addAll(0, List.of("pods", "services", "deployments", "replicasets"));
            }
            return new Targets(kinds, names);
        }
    }

    /** The named rows in the order named, or the first name that does not exist (then rows is null). */
    private record Named(List<Row> rows, String missing) {
    }

    /**
     * The rows of one kind that were named. With {@code kind/name} arguments of several kinds, a name of another
     * kind is passed over rather than reported missing.
     */
    private static Named named(List<Row> rows, String kind, List<String> names, List<String> positional) {
        List<Row> selected = new ArrayList<>();
        for (String name : names) {
            Row row = rows.stream().filter(r -> r.name.equals(name)).findFirst().orElse(null);
            if (row == null) {
                if (positional.getFirst().contains("/") && !positional.stream().allMatch(p -> p.startsWith(kind.substring(0, 2)) || kind(p.substring(0, p.indexOf('/'))).equals(kind))) {
                    continue;
                }
                return new Named(null, name);
            }
            selected.add(row);
        }
        return new Named(selected, null);
    }

    /** The objects in an {@code -o} format other than a table. */
    private static String print(JsonNode root, String output) {
        if (output.equals("json")) {
            return root.toPrettyString();
        }
        if (output.equals("yaml")) {
            return Yaml.write(root).stripTrailing();
        }
        if (output.startsWith("jsonpath=") || output.startsWith("jsonpath-as-json=")) {
            return JsonPath.evaluate(root, output.substring(output.indexOf('=') + 1));
        }
        if (output.startsWith("custom-columns")) {
            return "error: custom-columns output is not supported here; use -o wide, -o yaml, -o json or -o jsonpath";
        }
        return "error: unable to match a printer suitable for the output format \"" + output
                + "\", allowed formats are: custom-columns,go-template,json,jsonpath,name,wide,yaml";
    }

    private static ObjectNode list(List<JsonNode> items) {
        ObjectNode root = Cluster.JSON.createObjectNode().put("apiVersion", "v1");
        ArrayNode array = root.putArray("items");
        items.forEach(array::add);
        root.put("kind", "List");
        root.putObject("metadata").put("resourceVersion", "");
        return root;
    }

    /**
     * One resource as a table row plus its labels and JSON, built only when a selector, {@code --show-labels} or an
     * output format needs them (json null: none).
     */
    record Row(String namespace, String name, Map<String, String> cells, Supplier<Map<String, String>> labels,
            Supplier<JsonNode> json) {

        Row(String namespace, String name, Map<String, String> cells, Map<String, String> labels,
                Supplier<JsonNode> json) {
            this(namespace, name, cells, () -> labels, json);
        }
    }

    /**
     * The resources of one kind that {@code kubectl get} lists in namespace {@code ns} ({@code all}: every
     * namespace), filtered by a label selector. The application's own resources ({@code mine}) show only where its
     * namespace is listed, and never when the application runs on Docker.
     */
    List<Row> rows(String kind, String ns, boolean all, @Nullable String selector) {
        boolean mine = all || ns.equals(c.namespace);
        if (c.docker && !kind.equals("nodes") && !kind.equals("namespaces")) {
            mine = false;
        }
        List<Row> rows = switch (kind) {
            case "pods" -> podRows(ns, all, mine);
            case "services" -> serviceRows(ns, all, mine);
            case "endpoints" -> mine ? endpointRows() : new ArrayList<>();
            case "deployments" -> mine ? deploymentRows() : new ArrayList<>();
            case "replicasets" -> mine ? replicaSetRows() : new ArrayList<>();
            case "configmaps" -> mine ? configMapRows() : new ArrayList<>();
            case "pvc" -> mine ? claimRows() : new ArrayList<>();
            case "pv" -> volumeRows();
            case "events" -> mine ? eventRows() : new ArrayList<>();
            case "podchaos", "networkchaos" -> mine ? chaosRows(kind) : new ArrayList<>();
            case "nodes" -> nodeRows();
            case "namespaces" -> namespaceRows();
            default -> new ArrayList<>();
        };
        if (selector != null) {
            Map<String, String> wanted = parseSelector(selector);
            rows.removeIf(row -> {
                Map<String, String> labels = row.labels().get();
                return !wanted.entrySet().stream().allMatch(e -> e.getValue() == null ? labels.containsKey(e.getKey())
                        : e.getValue().equals(labels.get(e.getKey())));
            });
        }
        return rows;
    }

    /** Pods: the cluster's own (kube-system, Chaos Mesh) and the application's. */
    private List<Row> podRows(String ns, boolean all, boolean mine) {
        List<Row> rows = new ArrayList<>();
        if (all || ns.equals("kube-system")) {
            rows.addAll(kubeSystemPods());
        }
        if ((all || ns.equals(ChaosMesh.NAMESPACE)) && c.fault.chaos()) {
            rows.addAll(chaosMeshPods());
        }
        if (mine) {
            for (Pod pod : c.pods) {
                Map<String, String> cells = new LinkedHashMap<>();
                cells.put("READY", pod.readyColumn());
                cells.put("STATUS", pod.status);
                cells.put("RESTARTS", pod.restarts == 0 ? "0" : pod.restarts + " (" + SimulatedTime.age(20 + pod.restarts * 7L) + " ago)");
                cells.put("AGE", SimulatedTime.age(c.now - pod.createdAt));
                cells.put("IP", pod.scheduled() ? pod.ip : "<none>");
                cells.put("NODE", pod.node);
                cells.put("NOMINATED NODE", "<none>");
                cells.put("READINESS GATES", "<none>");
                rows.add(new Row(c.namespace, pod.name, cells, () -> c.labels(pod), () -> c.podJson(pod)));
            }
        }
        return rows;
    }

    /** Services: the API server's in {@code default} and the application's. */
    private List<Row> serviceRows(String ns, boolean all, boolean mine) {
        List<Row> rows = new ArrayList<>();
        if (all || ns.equals("default")) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("TYPE", "ClusterIP");
            cells.put("CLUSTER-IP", "10.96.0.1");
            cells.put("EXTERNAL-IP", "<none>");
            cells.put("PORT(S)", "443/TCP");
            cells.put("AGE", "3d");
            cells.put("SELECTOR", "<none>");
            rows.add(new Row("default", "kubernetes", cells, Map.of("component", "apiserver"), null));
        }
        if (mine) {
            c.services.forEach((name, svc) -> {
                Map<String, String> cells = new LinkedHashMap<>();
                cells.put("TYPE", svc.at(Pointers.SERVICE_TYPE).asString());
                cells.put("CLUSTER-IP", svc.at(Pointers.CLUSTER_IP).asString());
                cells.put("EXTERNAL-IP", "<none>");
                List<String> ports = new ArrayList<>();
                svc.at(Pointers.PORTS).forEach(p -> ports.add(p.path("port").asInt() + "/" + p.path("protocol").asString("TCP")));
                cells.put("PORT(S)", String.join(",", ports));
                cells.put("AGE", SimulatedTime.age(c.now));
                cells.put("SELECTOR", selectorText(svc.at(Pointers.SELECTOR)));
                rows.add(new Row(c.namespace, name, cells, labelsOf(svc), () -> svc));
            });
        }
        return rows;
    }

    private List<Row> endpointRows() {
        List<Row> rows = new ArrayList<>();
        for (String name : c.services.keySet()) {
            ObjectNode json = c.endpointsJson(name);
            List<String> addresses = new ArrayList<>();
            for (JsonNode subset : json.get("subsets")) {
                for (JsonNode address : subset.get("addresses")) {
                    for (JsonNode port : subset.get("ports")) {
                        addresses.add(address.path("ip").asString() + ":" + port.path("port").asInt());
                    }
                }
            }
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("ENDPOINTS", addresses.isEmpty() ? "<none>" : String.join(",", addresses));
            cells.put("AGE", SimulatedTime.age(c.now));
            rows.add(new Row(c.namespace, name, cells, labelsOf(c.services.peek(name)), () -> json));
        }
        return rows;
    }

    private List<Row> deploymentRows() {
        List<Row> rows = new ArrayList<>();
        c.deployments.forEach((name, d) -> {
            List<Pod> pods = c.podsOf(name);
            long ready = pods.stream().filter(p -> p.ready).count();
            int replicas = c.replicas(name);
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("READY", ready + "/" + replicas);
            cells.put("UP-TO-DATE", String.valueOf(replicas));
            cells.put("AVAILABLE", String.valueOf(ready));
            cells.put("AGE", SimulatedTime.age(c.now));
            cells.put("CONTAINERS", c.container(name).path("name").asString());
            cells.put("IMAGES", c.container(name).path("image").asString());
            cells.put("SELECTOR", selectorText(d.at(Pointers.MATCH_LABELS)));
            rows.add(new Row(c.namespace, name, cells, labelsOf(d), () -> deploymentJson(name, d, ready)));
        });
        return rows;
    }

    /** One replica set per deployment that has pods, named by their pod-template hash. */
    private List<Row> replicaSetRows() {
        List<Row> rows = new ArrayList<>();
        c.deployments.forEach((name, d) -> {
            List<Pod> pods = c.podsOf(name);
            String hash = pods.isEmpty() ? "" : pods.getFirst().hash;
            if (hash.isEmpty()) {
                return;
            }
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("DESIRED", String.valueOf(c.replicas(name)));
            cells.put("CURRENT", String.valueOf(pods.size()));
            cells.put("READY", String.valueOf(pods.stream().filter(p -> p.ready).count()));
            cells.put("AGE", SimulatedTime.age(c.now - pods.getFirst().createdAt));
            rows.add(new Row(c.namespace, name + "-" + hash, cells, labelsOf(d), null));
        });
        return rows;
    }

    private List<Row> configMapRows() {
        List<Row> rows = new ArrayList<>();
        Map<String, String> root = new LinkedHashMap<>();
        root.put("DATA", "1");
        root.put("AGE", SimulatedTime.age(c.now));
        rows.add(new Row(c.namespace, "kube-root-ca.crt", root, Map.of(), null));
        c.configMaps.forEach((name, cm) -> {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("DATA", String.valueOf(cm.path("data").size()));
            cells.put("AGE", SimulatedTime.age(c.now));
            rows.add(new Row(c.namespace, name, cells, labelsOf(cm), () -> cm));
        });
        return rows;
    }

    private List<Row> claimRows() {
        List<Row> rows = new ArrayList<>();
        c.pvcs.forEach((name, pvc) -> {
            Map<String, String> cells = new LinkedHashMap<>();
            boolean bound = "Bound".equals(pvc.at(Pointers.PHASE).asString());
            cells.put("STATUS", pvc.at(Pointers.PHASE).asString());
            cells.put("VOLUME", bound ? pvc.at(Pointers.VOLUME_NAME).asString() : "");
            cells.put("CAPACITY", bound ? "1Gi" : "");
            cells.put("ACCESS MODES", bound ? "RWO" : "");
            cells.put("STORAGECLASS", pvc.at(Pointers.STORAGE_CLASS).asString());
            cells.put("AGE", SimulatedTime.age(c.now));
            rows.add(new Row(c.namespace, name, cells, Map.of(), () -> pvc));
        });
        return rows;
    }

    /** The volumes bound to the application's claims (cluster-scoped). */
    private List<Row> volumeRows() {
        List<Row> rows = new ArrayList<>();
        c.pvcs.forEach((name, pvc) -> {
            if ("Bound".equals(pvc.at(Pointers.PHASE).asString())) {
                Map<String, String> cells = new LinkedHashMap<>();
                cells.put("CAPACITY", "1Gi");
                cells.put("ACCESS MODES", "RWO");
                cells.put("RECLAIM POLICY", "Retain");
                cells.put("STATUS", "Bound");
                cells.put("CLAIM", c.namespace + "/" + name);
                cells.put("STORAGECLASS", "standard");
                cells.put("AGE", SimulatedTime.age(c.now));
                rows.add(new Row("", pvc.at(Pointers.VOLUME_NAME).asString(), cells, Map.of(), null));
            }
        });
        return rows;
    }

    private List<Row> eventRows() {
        List<Row> rows = new ArrayList<>();
        for (Event e : c.events) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("LAST SEEN", SimulatedTime.age(Math.max(1, c.now - e.at())));
            cells.put("TYPE", e.type());
            cells.put("REASON", e.reason());
            cells.put("OBJECT", e.object());
            cells.put("MESSAGE", e.message());
            rows.add(new Row(c.namespace, e.object(), cells, Map.of(), () -> eventJson(e)));
        }
        return rows;
    }

    private List<Row> chaosRows(String kind) {
        List<Row> rows = new ArrayList<>();
        // the columns Chaos Mesh's CRDs print: action and duration
        c.chaos.get(kind).forEach((name, experiment) -> {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("ACTION", experiment.at("/spec/action").asString());
            cells.put("DURATION", experiment.at("/spec/duration").asString());
            cells.put("AGE", SimulatedTime.age(c.now - c.chaosInjectedAt));
            rows.add(new Row(c.namespace, name, cells, Map.of(), () -> experiment));
        });
        return rows;
    }

    private List<Row> nodeRows() {
        List<Row> rows = new ArrayList<>();
        for (String node : Cluster.NODES) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("STATUS", "Ready");
            cells.put("ROLES", node.contains("control") ? "control-plane" : "<none>");
            cells.put("AGE", "3d");
            cells.put("VERSION", "v1.30.0");
            cells.put("INTERNAL-IP", "172.18.0." + (Cluster.NODES.indexOf(node) + 2));
            rows.add(new Row("", node, cells, new TreeMap<>(Map.of("kubernetes.io/hostname", node, "kubernetes.io/os", "linux")), () -> nodeJson(node)));
        }
        return rows;
    }

    private List<Row> namespaceRows() {
        List<Row> rows = new ArrayList<>();
        for (String name : List.of(c.fault.chaos() ? ChaosMesh.NAMESPACE : "", "default", "kube-node-lease",
                "kube-public", "kube-system", "local-path-storage", "observe", c.docker ? "" : c.namespace)) {
            if (!name.isEmpty()) {
                Map<String, String> cells = new LinkedHashMap<>();
                cells.put("STATUS", "Active");
                cells.put("AGE", name.equals(c.namespace) ? SimulatedTime.age(c.now + 60) : "3d");
                rows.add(new Row("", name, cells, Map.of("kubernetes.io/metadata.name", name), null));
            }
        }
        return rows;
    }

    static Map<String, String> parseSelector(String selector) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String part : selector.split(",")) {
            String[] kv = SELECTOR_EQUALS.split(part, 2);
            wanted.put(kv[0].strip(), kv.length > 1 ? kv[1].strip() : null);
        }
        return wanted;
    }

    private List<Row> kubeSystemPods() {
        List<Row> rows = new ArrayList<>();
        java.util.SplittableRandom r = new java.util.SplittableRandom(c.seed);
        for (String prefix : KUBE_SYSTEM) {
            String name = prefix.endsWith("-") ? prefix + c.randomNameFrom(r, 5) : prefix;
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("READY", "1/1");
            cells.put("STATUS", "Running");
            cells.put("RESTARTS", "0");
            cells.put("AGE", "3d");
            cells.put("IP", "172.18.0.2");
            cells.put("NODE", "kind-control-plane");
            cells.put("NOMINATED NODE", "<none>");
            cells.put("READINESS GATES", "<none>");
            rows.add(new Row("kube-system", name, cells, Map.of("tier", "control-plane"), null));
        }
        return rows;
    }

    private List<Row> chaosMeshPods() {
        List<Row> rows = new ArrayList<>();
        for (String[] pod : ChaosMesh.pods(c)) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("READY", "1/1");
            cells.put("STATUS", "Running");
            cells.put("RESTARTS", "0");
            cells.put("AGE", SimulatedTime.age(c.now + 300));
            cells.put("IP", "10.244." + (pod[1].endsWith("2") ? 2 : 1) + "." + (pod[0].length() * 7 % 250 + 2));
            cells.put("NODE", pod[1]);
            cells.put("NOMINATED NODE", "<none>");
            cells.put("READINESS GATES", "<none>");
            String component = pod[0].startsWith("chaos-daemon") ? "chaos-daemon"
                    : pod[0].startsWith("chaos-dashboard") ? "chaos-dashboard" : "controller-manager";
            rows.add(new Row(ChaosMesh.NAMESPACE, pod[0], cells,
                    Map.of("app.kubernetes.io/component", component, "app.kubernetes.io/instance", "chaos-mesh"), null));
        }
        return rows;
    }

    private ObjectNode deploymentJson(String name, ObjectNode d, long ready) {
        ObjectNode json = d.deepCopy();
        json.putObject("status").put("replicas", c.podsOf(name).size()).put("readyReplicas", ready)
            .put("availableReplicas", ready).put("updatedReplicas", c.podsOf(name).size());
        return json;
    }

    private ObjectNode eventJson(Event e) {
        ObjectNode json = Cluster.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Event");
        json.putObject("metadata").put("namespace", c.namespace);
        String[] obj = e.object().split("/", 2);
        json.putObject("involvedObject").put("kind", obj[0]).put("name", obj[1]);
        json.put("type", e.type()).put("reason", e.reason()).put("message", e.message())
            .put("lastTimestamp", SimulatedTime.timestamp(c.seed, e.at()));
        return json;
    }

    private static ObjectNode nodeJson(String node) {
        ObjectNode json = Cluster.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Node");
        json.putObject("metadata").put("name", node).putObject("labels").put("kubernetes.io/hostname", node)
            .put("kubernetes.io/os", "linux");
        json.putObject("status").putArray("conditions").addObject().put("type", "Ready").put("status", "True");
        return json;
    }

    static Map<String, String> labelsOf(JsonNode object) {
        Map<String, String> labels = new LinkedHashMap<>();
        object.at(Pointers.LABELS).properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        return labels;
    }

    static String selectorText(JsonNode selector) {
        List<String> parts = new ArrayList<>();
        selector.properties().forEach(e -> parts.add(e.getKey() + "=" + e.getValue().asString()));
        return parts.isEmpty() ? "<none>" : String.join(",", parts);
    }

    private String logs(KubectlArgs args, String ns) {
        String selector = args.get("l", "selector");
        String tailText = args.get(null, "tail");
        Integer tail = null;
        if (tailText != null) {
            try {
                tail = Integer.parseInt(tailText);
            }
            catch (NumberFormatException ex) {
                return "error: invalid argument \"" + tailText + "\" for \"--tail\" flag";
            }
        }
        List<Pod> targets = new ArrayList<>();
        if (!ns.equals(c.namespace) || c.docker) {
            if (args.positional.isEmpty() && selector == null) {
                return "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.";
            }
            return args.positional.isEmpty() ? "No resources found in " + ns + " namespace."
                    : "Error from server (NotFound): pods \"" + args.positional.getFirst() + "\" not found";
        }
        if (selector != null) {
            Map<String, String> wanted = parseSelector(selector);
            for (Pod pod : c.pods) {
                Map<String, String> labels = c.labels(pod);
                if (wanted.entrySet().stream().allMatch(e -> e.getValue() == null ? labels.containsKey(e.getKey())
                        : e.getValue().equals(labels.get(e.getKey())))) {
                    targets.add(pod);
                }
            }
            if (targets.isEmpty()) {
                return "No resources found in " + ns + " namespace.";
            }
        }
        else if (args.positional.isEmpty()) {
            return "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.";
        }
        else {
            String target = args.positional.getFirst();
            if (target.contains("/")) {
                String kind = kind(target.substring(0, target.indexOf('/')));
                String name = target.substring(target.indexOf('/') + 1);
                if (kind.equals("pods")) {
                    target = name;
                }
                else {
                    if (!c.deployments.containsKey(name) || kind.equals("configmaps")) {
                        return "Error from server (NotFound): " + kind + " \"" + name + "\" not found";
                    }
                    List<Pod> pods = c.podsOf(name);
                    if (pods.isEmpty()) {
                        return "error: timed out waiting for the condition";
                    }
                    targets.add(pods.getFirst());
                    target = null;
                }
            }
            if (target != null) {
                String name = target;
                Pod pod = c.pods.stream().filter(p -> p.name.equals(name)).findFirst().orElse(null);
                if (pod == null) {
                    return "Error from server (NotFound): pods \"" + name + "\" not found";
                }
                targets.add(pod);
            }
        }
        if (args.has(null, "previous") && targets.size() == 1 && targets.getFirst().restarts == 0) {
            Pod pod = targets.getFirst();
            return "Error from server (BadRequest): previous terminated container \"" + c.topology.container(pod.service)
                    + "\" in pod \"" + pod.name + "\" not found";
        }
        List<String> outputs = new ArrayList<>();
        for (Pod pod : targets) {
            outputs.add(telemetry.podLogs(pod, tail));
        }
        return String.join("\n", outputs);
    }

    private String top(KubectlArgs args, String ns) {
        if (args.positional.isEmpty() || !kind(args.positional.getFirst()).equals("pods")) {
            return "error: Metrics API not available for this resource; use `kubectl top pods -n <namespace>` or get_metrics";
        }
        if (!ns.equals(c.namespace)) {
            return "No resources found in " + ns + " namespace.";
        }
        StringBuilder out = new StringBuilder();
        List<Row> rows = new ArrayList<>();
        for (Pod pod : c.pods) {
            if (!pod.scheduled()) {
                continue;
            }
            Telemetry.Usage usage = telemetry.usage(pod);
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("CPU(cores)", Math.max(1, Math.round(usage.cores() * 1000)) + "m");
            cells.put("MEMORY(bytes)", Math.max(1, Math.round(usage.memoryBytes() / 1_048_576)) + "Mi");
            rows.add(new Row(c.namespace, pod.name, cells, Map.of(), null));
        }
        out.append(Tables.render("top", rows, null, false, false, false, false));
        return out.toString();
    }
}
