package dev.rolloutbatch.environment.simulated;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.catalog.Application;
import dev.rolloutbatch.catalog.Problem;

/**
 * Builds the healthy cluster of an application, then lets the problem's fault model break it. The part that does
 * not depend on the seed is built once per application and copied.
 */
final class ClusterFactory {

    /**
     * The flags of the demo's flagd configuration that AIOpsLab's problems switch, with their variants, all on
     * "off" in a healthy cluster (OpenTelemetry demo 2.x, the chart AIOpsLab installs unpinned).
     * AIOpsLab: aiopslab/generators/fault/inject_otel.py and aiopslab/service/metadata/astronomy-shop.json
     */
    static final String[] FLAGS = {"adFailure", "adHighCpu", "adManualGc", "cartFailure", "imageSlowLoad",
        "kafkaQueueProblems", "loadGeneratorFloodHomepage", "paymentFailure", "paymentUnreachable",
        "productCatalogFailure", "recommendationCacheFailure"};

    /** Blueprints by application and namespace; the catalog keeps this to a handful. */
    private static final Map<BlueprintKey, Blueprint> BLUEPRINTS = new ConcurrentHashMap<>();

    private record BlueprintKey(Application app, String namespace) {
    }

    /**
     * What every episode of an application starts from, whatever its seed and problem: deployments (with the text
     * hashes of their pod templates), config maps and claims. Never changed: clusters share its objects until they
     * change one (see {@link CopyOnGetObjects}), so it can be shared between threads.
     */
    private record Blueprint(Topology topology, Map<String, ObjectNode> deployments,
            Map<String, Integer> templateTextHashes, Map<String, ServiceParts> services,
            Map<String, ObjectNode> configMaps, Map<String, ObjectNode> pvcs) {
    }

    /** What the service of a deployment has in common in every cluster: all but its cluster IP. */
    private record ServiceParts(ObjectNode metadata, ArrayNode ports, ObjectNode selector) {
    }

    private ClusterFactory() {
    }

    static Cluster create(Application app, Problem problem, long seed) {
        Blueprint blueprint = BLUEPRINTS.computeIfAbsent(new BlueprintKey(app, problem.namespace()),
                key -> blueprint(key.app(), key.namespace()));
        Topology topology = blueprint.topology();
        Cluster cluster = new Cluster(topology, problem, seed);
        for (String service : blueprint.deployments().keySet()) {
            cluster.deployments.putShared(service, blueprint.deployments().get(service));
            if (!cluster.docker) {
                ServiceParts parts = blueprint.services().get(service);
                String clusterIp = clusterIp(cluster);
                cluster.services.putLazy(service, () -> service(parts, clusterIp));
            }
        }
        blueprint.configMaps().forEach(cluster.configMaps::putShared);
        blueprint.pvcs().forEach(cluster.pvcs::putShared);
        cluster.templatesKnown(blueprint.templateTextHashes());
        cluster.now = 0;
        cluster.reconcile();
        for (Pod pod : cluster.pods) {
            cluster.event("Normal", "Started", "pod/" + pod.name, "Started container " + topology.container(pod.service));
        }
        cluster.now = 600 + cluster.random.nextInt(600);
        cluster.fault = FaultModel.of(problem);
        cluster.fault.inject(cluster);
        cluster.reconcile();
        return cluster;
    }

    private static Blueprint blueprint(Application app, String namespace) {
        Topology topology = new Topology(app);
        Map<String, ObjectNode> deployments = new LinkedHashMap<>();
        Map<String, ObjectNode> configMaps = new LinkedHashMap<>();
        Map<String, ObjectNode> pvcs = new LinkedHashMap<>();
        for (String service : app.services()) {
            deployments.put(service, deployment(topology, namespace, service));
        }
        for (String service : topology.observability()) {
            deployments.put(service, deployment(topology, namespace, service));
        }
        if (app.name().equals("AstronomyShop")) {
            configMaps.put("flagd-config", flagdConfig(namespace));
        }
        if (app.name().equals("HotelReservation")) {
            for (String service : app.services()) {
                if (service.startsWith("mongodb-")) {
                    String claim = service.substring("mongodb-".length()) + "-pvc";
                    pvcs.put(claim, pvc(namespace, claim, true));
                    ObjectNode spec = (ObjectNode) deployments.get(service).at(Pointers.POD_SPEC);
                    spec.putArray("volumes").addObject().put("name", service.substring(8))
                        .putObject("persistentVolumeClaim").put("claimName", claim);
                    ((ObjectNode) spec.get("containers").get(0)).putArray("volumeMounts").addObject()
                        .put("name", service.substring(8)).put("mountPath", "/data/db");
                }
            }
        }
        if (app.name().equals("SocialNetwork")) {
            for (String service : app.services()) {
                if (service.endsWith("-service") || service.equals("nginx-thrift")) {
                    ObjectNode cm = configMap(namespace, service);
                    cm.putObject("data").put("service-config.json", "{\"" + service + "\": {\"addr\": \"" + service
                            + "\", \"port\": " + topology.port(service) + ", \"connections\": 512, \"timeout_ms\": 10000}}");
                    configMaps.put(service, cm);
                }
                if (service.endsWith("-mongodb")) {
                    ObjectNode cm = configMap(namespace, service);
                    cm.putObject("data").put("mongod.conf", mongodConf("disabled"));
                    configMaps.put(service, cm);
                    ObjectNode spec = (ObjectNode) deployments.get(service).at(Pointers.POD_SPEC);
                    ObjectNode container = (ObjectNode) spec.get("containers").get(0);
                    ArrayNode mounts = container.putArray("volumeMounts");
                    mounts.addObject().put("name", service + "-config").put("mountPath",
                            "/social-network-microservices/config/mongod.conf").put("subPath", "mongod.conf");
                    ArrayNode volumes = spec.putArray("volumes");
                    volumes.addObject().put("name", service + "-config").putObject("configMap").put("name", service);
                    if (service.equals("url-shorten-mongodb")) {
                        // AIOpsLab's chart mounts the certificate secret this database's TLS settings point at
                        mounts.addObject().put("name", "tls-cert").put("mountPath", "/etc/tls").put("readOnly", true);
                        volumes.addObject().put("name", "tls-cert").putObject("secret").put("secretName", "mongodb-tls");
                    }
                }
            }
        }
        Map<String, Integer> templateTextHashes = new HashMap<>();
        deployments.forEach((name, d) -> templateTextHashes.put(name, Cluster.templateTextHash(d)));
        Map<String, ServiceParts> services = new HashMap<>();
        deployments.keySet().forEach(name -> services.put(name, serviceParts(topology, namespace, name)));
        return new Blueprint(topology, deployments, templateTextHashes, services, configMaps, pvcs);
    }

    private static ObjectNode deployment(Topology topology, String namespace, String service) {
        String labelKey = topology.app().podLabelKey();
        ObjectNode root = Cluster.JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
        ObjectNode meta = root.putObject("metadata").put("name", service).put("namespace", namespace)
            .put("generation", 1);
        meta.putObject("labels").put(labelKey, service);
        meta.putObject("annotations").put("deployment.kubernetes.io/revision", "1");
        ObjectNode spec = root.putObject("spec").put("replicas", 1);
        spec.putObject("selector").putObject("matchLabels").put(labelKey, service);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put(labelKey, service);
        ObjectNode podSpec = template.putObject("spec");
        ObjectNode container = podSpec.putArray("containers").addObject().put("name", topology.container(service))
            .put("image", topology.image(service)).put("imagePullPolicy", "IfNotPresent");
        if (!topology.command(service).isEmpty()) {
            ArrayNode command = container.putArray("command");
            topology.command(service).forEach(command::add);
        }
        if (service.contains("mongodb")) {
            container.putArray("args").add("--config").add("/social-network-microservices/config/mongod.conf");
        }
        container.putArray("ports").addObject().put("containerPort", topology.port(service)).put("protocol", "TCP");
        ObjectNode resources = container.putObject("resources");
        resources.putObject("requests").put("cpu", "100m").put("memory", "128Mi");
        resources.putObject("limits").put("cpu", "1").put("memory", "1Gi");
        if (topology.app().name().equals("HotelReservation") && !topology.isDatabase(service)) {
            container.putArray("env").addObject().put("name", "JAEGER_SAMPLE_RATIO").put("value", "1");
        }
        podSpec.put("restartPolicy", "Always");
        return root;
    }

    /** Drawn when the cluster is made, in the order of its services, whether or not a service is ever looked at. */
    private static String clusterIp(Cluster cluster) {
        return "10.96." + (1 + cluster.random.nextInt(250)) + "." + (2 + cluster.random.nextInt(250));
    }

    /**
     * A service of this cluster, its own only at the top (its cluster IP): the rest is the blueprint's, which is why
     * the cluster holds it as shared, copied whole before anything changes it. Built when first read: most episodes
     * never look at their services.
     */
    private static ObjectNode service(ServiceParts parts, String clusterIp) {
        ObjectNode root = Cluster.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Service");
        root.set("metadata", parts.metadata());
        ObjectNode spec = root.putObject("spec").put("type", "ClusterIP").put("clusterIP", clusterIp);
        spec.set("ports", parts.ports());
        spec.set("selector", parts.selector());
        return root;
    }

    private static ServiceParts serviceParts(Topology topology, String namespace, String service) {
        int port = topology.port(service);
        String labelKey = topology.app().podLabelKey();
        ObjectNode meta = Cluster.JSON.createObjectNode().put("name", service).put("namespace", namespace);
        meta.putObject("labels").put(labelKey, service);
        ArrayNode ports = Cluster.JSON.createArrayNode();
        ports.addObject().put("name", String.valueOf(port)).put("port", port).put("protocol", "TCP")
            .put("targetPort", port);
        return new ServiceParts(meta, ports, Cluster.JSON.createObjectNode().put(labelKey, service));
    }

    private static ObjectNode configMap(String namespace, String name) {
        ObjectNode root = Cluster.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        root.putObject("metadata").put("name", name).put("namespace", namespace);
        return root;
    }

    /**
     * The mongod.conf of a SocialNetwork database, as the chart's template renders it for a TLS mode.
     * AIOpsLab: aiopslab/generators/fault/inject_app.py (tls.mode, tls.certificateKeyFile set by helm upgrade)
     */
    /** JSON as Python's json.dumps(..., indent=2) writes it, which is how AIOpsLab rewrites demo.flagd.json. */
    private static final tools.jackson.databind.ObjectWriter PYTHON_JSON = pythonJsonWriter();

    private static tools.jackson.databind.ObjectWriter pythonJsonWriter() {
        tools.jackson.core.util.DefaultIndenter indenter = new tools.jackson.core.util.DefaultIndenter("  ", "\n");
        return Cluster.JSON.writer().with(new tools.jackson.core.util.DefaultPrettyPrinter(
                tools.jackson.core.util.Separators.createDefaultInstance()
                    .withObjectNameValueSpacing(tools.jackson.core.util.Separators.Spacing.AFTER))
            .withObjectIndenter(indenter).withArrayIndenter(indenter));
    }

    static String pythonJson(tools.jackson.databind.JsonNode node) {
        return PYTHON_JSON.writeValueAsString(node);
    }

    static String mongodConf(String tlsMode) {
        return "net:\n  tls:\n    mode: " + tlsMode + "\n"
                + (tlsMode.equals("disabled") ? "" : "    certificateKeyFile: /etc/tls/tls.pem\n");
    }

    private static ObjectNode flagdConfig(String namespace) {
        ObjectNode flags = Cluster.JSON.createObjectNode();
        ObjectNode defs = flags.put("$schema", "https://flagd.dev/schema/v0/flags.json").putObject("flags");
        for (String flag : FLAGS) {
            ObjectNode def = defs.putObject(flag).put("defaultVariant", "off").put("state", "ENABLED");
            ObjectNode variants = def.putObject("variants");
            switch (flag) {
                case "imageSlowLoad" -> variants.put("10sec", 10000).put("5sec", 5000).put("off", 0);
                case "kafkaQueueProblems", "loadGeneratorFloodHomepage" -> variants.put("off", 0).put("on", 100);
                case "paymentFailure" -> variants.put("10%", 0.1).put("100%", 1).put("25%", 0.25).put("50%", 0.5)
                    .put("75%", 0.75).put("90%", 0.95).put("off", 0);
                default -> variants.put("off", false).put("on", true);
            }
        }
        ObjectNode cm = configMap(namespace, "flagd-config");
        cm.putObject("data").put("demo.flagd.json", pythonJson(flags));
        return cm;
    }

    static ObjectNode pvc(String namespace, String name, boolean bound) {
        ObjectNode root = Cluster.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
        root.putObject("metadata").put("name", name).put("namespace", namespace);
        ObjectNode spec = root.putObject("spec").put("storageClassName", "standard")
            .put("volumeName", bound ? name.replace("-pvc", "-pv") : "");
        spec.putArray("accessModes").add("ReadWriteOnce");
        spec.putObject("resources").putObject("requests").put("storage", "1Gi");
        root.putObject("status").put("phase", bound ? "Bound" : "Pending");
        return root;
    }
}
