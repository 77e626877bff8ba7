package dev.rolloutbatch.environment.simulated;

import java.util.List;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.catalog.Problem;

/**
 * One fault family: how it is injected into the modelled cluster, how it shows (pod states and telemetry while it
 * is active), and what state counts as mitigated. Symptoms are computed from the current state, so a fix made
 * with kubectl makes them go away.
 */
class FaultModel {

    enum PodFault { NONE, CRASH, RESTARTED, STOPPED, PAUSED }

    static final FaultModel NONE = new FaultModel("noop", "");

    static final String BUGGY_GEO_IMAGE = "yinfangchen/geo:app3";
    static final String ROLES_REVOKED = "mongodb-roles-revoked";
    static final String USER_DROPPED = "mongodb-user-dropped";
    /** The TLS mode MongoDB refuses plain connections in. */
    static final String REQUIRE_TLS = "requireTLS";

    final String family;
    final String faulty;

    FaultModel(String family, String faulty) {
        this.family = family;
        this.faulty = faulty;
    }

    static FaultModel of(Problem problem) {
        return new FaultModel(problem.faultFamily(), problem.faultyService() == null ? "" : problem.faultyService());
    }

    /**
     * The flagd flag an astronomy-shop family turns on, and the variant it selects.
     * AIOpsLab: aiopslab/orchestrator/problems/<family>/<family>.py (inject_fault's flag name) and
     * aiopslab/generators/fault/inject_otel.py (variant "100%" for paymentFailure, "10sec" for imageSlowLoad, else "on").
     */
    String flag() {
        return switch (family) {
            case "astronomy_shop_ad_service_failure" -> "adFailure";
            case "astronomy_shop_ad_service_high_cpu" -> "adHighCpu";
            case "astronomy_shop_ad_service_manual_gc" -> "adManualGc";
            case "astronomy_shop_cart_service_failure" -> "cartFailure";
            case "astronomy_shop_image_slow_load" -> "imageSlowLoad";
            case "astronomy_shop_kafka_queue_problems" -> "kafkaQueueProblems";
            case "astronomy_shop_loadgenerator_flood_homepage" -> "loadGeneratorFloodHomepage";
            case "astronomy_shop_payment_service_failure" -> "paymentFailure";
            case "astronomy_shop_payment_service_unreachable" -> "paymentUnreachable";
            case "astronomy_shop_product_catalog_service_failure" -> "productCatalogFailure";
            case "astronomy_shop_recommendation_service_cache_failure" -> "recommendationCacheFailure";
            default -> null;
        };
    }

    static String injectedVariant(String flag) {
        return switch (flag) {
            case "paymentFailure" -> "100%";
            case "imageSlowLoad" -> "10sec";
            default -> "on";
        };
    }

    /** Whether the family is a Chaos Mesh experiment (see {@link ChaosMesh}). */
    boolean chaos() {
        return ChaosMesh.kind(family) != null;
    }

    void inject(Cluster c) {
        switch (family) {
            // AIOpsLab: aiopslab/generators/fault/inject_virtual.py inject_misconfig_k8s (targetPort 9090 -> 9999)
            case "k8s_target_port-misconfig" -> ((ObjectNode) c.services.get(faulty).at(Pointers.FIRST_PORT)).put("targetPort", 9999);
            // AIOpsLab: aiopslab/generators/fault/inject_app.py inject_auth_miss_mongodb: a helm upgrade sets
            // tls.mode=requireTLS in the database's mongod.conf ConfigMap, the dependent service's pods are deleted
            // and the database deployment is restarted.
            case "auth_miss_mongodb" -> {
                setTlsMode(c, faulty, REQUIRE_TLS);
                c.pods.removeIf(p -> p.service.equals(dependent()));
                c.rolloutRestart(faulty);
            }
            // AIOpsLab: aiopslab/generators/fault/inject_app.py inject_revoke_auth / inject_storage_user_unregistered
            // (a script inside the MongoDB pod, then the dependent service's pods are deleted)
            case "revoke_auth_mongodb" -> {
                c.flags.add(ROLES_REVOKED);
                c.pods.removeIf(p -> p.service.equals(dependent()));
            }
            case "user_unregistered_mongodb" -> {
                c.flags.add(USER_DROPPED);
                c.pods.removeIf(p -> p.service.equals(dependent()));
            }
            // AIOpsLab: aiopslab/generators/fault/inject_app.py inject_misconfig_app (update_deployment: a new revision)
            case "misconfig_app_hotel_res" -> c.updateTemplate(faulty,
                    t -> ((ObjectNode) t.at("/spec/containers/0")).put("image", BUGGY_GEO_IMAGE));
            // AIOpsLab: aiopslab/generators/fault/inject_virtual.py inject_scale_pods_to_zero (kubectl scale)
            case "scale_pod_zero_social_net" -> ((ObjectNode) c.deployments.get(faulty).get("spec")).put("replicas", 0);
            // AIOpsLab: aiopslab/generators/fault/inject_virtual.py inject_assign_to_non_existent_node and
            // inject_wrong_bin_usage: kubectl delete deployment, then kubectl apply of the edited copy (no history)
            case "assign_to_non_existent_node_social_net" -> c.recreate(faulty,
                    t -> ((ObjectNode) t.get("spec")).putObject("nodeSelector").put("kubernetes.io/hostname", "extra-node"));
            case "wrong_bin_usage" -> c.recreate(faulty, t -> {
                ArrayNode command = ((ObjectNode) t.at("/spec/containers/0")).putArray("command");
                command.add("geo");
            });
            // AIOpsLab: aiopslab/generators/fault/inject_virtual.py inject_redeploy_without_pv: the namespace is deleted
            // and the application deployed again, so every pod is new and the claims find their volumes taken
            case "redeploy_without_PV" -> {
                c.pvcs.replaceAll((name, pvc) -> ClusterFactory.pvc(c.namespace, name, false));
                c.pods.clear();
            }
            default -> {
                if (chaos()) {
                    ChaosMesh.inject(c, family, faulty);
                }
                else if (flag() != null) {
                    // AIOpsLab: aiopslab/generators/fault/inject_otel.py (edit flagd-config, then restart flagd)
                    setFlag(c, flag(), injectedVariant(flag()));
                    c.rolloutRestart("flagd");
                }
            }
        }
    }

    static void setTlsMode(Cluster c, String database, String mode) {
        ObjectNode cm = c.configMaps.get(database);
        ((ObjectNode) cm.get("data")).put("mongod.conf", ClusterFactory.mongodConf(mode));
    }

    static boolean requiresTls(String mongodConf) {
        return mongodConf != null && mongodConf.contains("mode: " + REQUIRE_TLS);
    }

    static void setFlag(Cluster c, String flag, String variant) {
        ObjectNode cm = c.configMaps.get("flagd-config");
        ObjectNode flags = (ObjectNode) Cluster.JSON.readTree(cm.at(Pointers.FLAGD_JSON).asString());
        ((ObjectNode) flags.at("/flags/" + flag)).put("defaultVariant", variant);
        ((ObjectNode) cm.get("data")).put("demo.flagd.json", ClusterFactory.pythonJson(flags));
    }

    static boolean flagOn(Cluster c, String flag) {
        ObjectNode cm = c.configMaps.peek("flagd-config");
        if (cm == null) {
            return false;
        }
        try {
            JsonNode flags = Cluster.JSON.readTree(cm.at(Pointers.FLAGD_JSON).asString());
            JsonNode def = flags.at("/flags/" + flag);
            return !def.isMissingNode() && !"off".equals(def.path("defaultVariant").asString())
                    && !"DISABLED".equals(def.path("state").asString());
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /** True while the injected fault is still in place. */
    boolean active(Cluster c) {
        if (c.topology.app().services().contains(faulty) && (!c.deployments.containsKey(faulty)
                || family.equals("k8s_target_port-misconfig") && !c.services.containsKey(faulty))) {
            // Deleting what the fault lives in breaks the application further; it is not a fix.
            return true;
        }
        return switch (family) {
            case "noop" -> false;
            case "k8s_target_port-misconfig" -> Cluster.targetPort(c.services.peek(faulty).at(Pointers.FIRST_PORT)) != 9090;
            // mongod reads its configuration at start: a fixed ConfigMap helps only once the pod is restarted
            case "auth_miss_mongodb" -> requiresTls(c.configMaps.containsKey(faulty)
                    ? c.configMaps.peek(faulty).at(Pointers.MONGOD_CONF).asString(null) : null)
                    || c.podsOf(faulty).stream().anyMatch(p -> requiresTls(p.mountedConfig));
            case "revoke_auth_mongodb" -> c.flags.contains(ROLES_REVOKED);
            case "user_unregistered_mongodb" -> c.flags.contains(USER_DROPPED);
            case "misconfig_app_hotel_res" -> BUGGY_GEO_IMAGE.equals(c.container(faulty).path("image").asString());
            case "scale_pod_zero_social_net" -> c.replicas(faulty) < 1;
            case "assign_to_non_existent_node_social_net" -> c.unschedulableReason(faulty) != null;
            case "wrong_bin_usage" -> !commandOf(c, faulty).equals(List.of(faulty)) && !commandOf(c, faulty).isEmpty();
            case "redeploy_without_PV" -> c.deployments.keySet().stream().anyMatch(d -> c.unschedulableReason(d) != null);
            default -> chaos() ? ChaosMesh.present(c, family) : flag() == null || flagOn(c, flag());
        };
    }

    /**
     * Whether a service whose pods look healthy serves nothing because of the fault: with TLS required, the
     * dependent service loops on creating its index at start and never opens its server socket.
     */
    boolean stalls(Cluster c, String service) {
        return family.equals("auth_miss_mongodb") && service.equals(dependent()) && active(c);
    }

    /** The family's own mitigation check; the grader also requires every pod to be ready. */
    boolean mitigated(Cluster c) {
        return !active(c);
    }

    private static List<String> commandOf(Cluster c, String deployment) {
        JsonNode command = c.container(deployment).get("command");
        return command == null ? List.of() : command.valueStream().map(JsonNode::asString).toList();
    }

    /** The service whose database access a MongoDB fault breaks, e.g. geo for mongodb-geo. */
    private String dependent() {
        if (faulty.endsWith("-mongodb")) {
            // AIOpsLab: aiopslab/generators/fault/inject_app.py mongo_service_pod_map
            return faulty.substring(0, faulty.length() - "-mongodb".length()) + "-service";
        }
        return faulty.startsWith("mongodb-") ? faulty.substring("mongodb-".length()) : faulty;
    }

    /** @param on whether the fault is {@link #active(Cluster)} */
    PodFault podFault(String service, boolean on) {
        return switch (family) {
            case "revoke_auth_mongodb", "user_unregistered_mongodb" ->
                on && service.equals(dependent()) ? PodFault.CRASH : PodFault.NONE;
            case "misconfig_app_hotel_res", "wrong_bin_usage" ->
                on && service.equals(faulty) ? PodFault.CRASH : PodFault.NONE;
            case "container_kill" -> service.equals(faulty) ? PodFault.RESTARTED : PodFault.NONE;
            // AIOpsLab: aiopslab/generators/fault/inject_symp.py: pod_kill is injected as pod-failure too
            case "pod_failure_hotel_res", "pod_kill_hotel_res" -> on && service.equals(faulty) ? PodFault.PAUSED : PodFault.NONE;
            case "flower_node_stop" -> service.equals(faulty) ? PodFault.STOPPED : PodFault.NONE;
            default -> PodFault.NONE;
        };
    }

    /** How the fault shows in logs, metrics and traces right now, or null when it does not. */
    @Nullable Symptom symptom(Cluster c) {
        if (!active(c)) {
            return null;
        }
        return switch (family) {
            case "k8s_target_port-misconfig", "scale_pod_zero_social_net", "assign_to_non_existent_node_social_net" ->
                Symptom.errors(faulty, "TSocket::open() connect() <Host: %s Port: 9090>: Connection refused", List.of(), 1.0).down();
            case "auth_miss_mongodb", "revoke_auth_mongodb", "user_unregistered_mongodb", "redeploy_without_PV" -> mongoDbSymptom();
            case "misconfig_app_hotel_res", "wrong_bin_usage", "container_kill", "pod_failure_hotel_res", "pod_kill_hotel_res", "network_loss_hotel_res", "network_delay_hotel_res" ->
                hotelReservationSymptom();
            case "flower_node_stop", "flower_model_misconfig" -> flowerSymptom();
            default -> family.startsWith("astronomy_shop_") ? astronomyShopSymptom() : null;
        };
    }

    /** MongoDB refusing the service that depends on it, or gone with its data. */
    private Symptom mongoDbSymptom() {
        String db = dependent() + "-db";
        return switch (family) {
            // The dependent service retries creating its index at start and never begins serving; mongod drops
            // every plain connection.
            case "auth_miss_mongodb" -> Symptom.errors(faulty, "Failed to create mongodb index, try again",
                    List.of("{\"t\":{\"$date\":\"%T\"},\"s\":\"I\",\"c\":\"NETWORK\",\"id\":22988,\"ctx\":\"conn%N\",\"msg\":\"Error receiving request from client. Ending connection from remote\",\"attr\":{\"error\":{\"code\":141,\"codeName\":\"SSLHandshakeFailed\",\"errmsg\":\"The server is configured to only allow SSL connections\"},\"remote\":\"10.244.1.%N:4%N\",\"connectionId\":%N}}",
                            "{\"t\":{\"$date\":\"%T\"},\"s\":\"I\",\"c\":\"NETWORK\",\"id\":22944,\"ctx\":\"conn%N\",\"msg\":\"Connection ended\",\"attr\":{\"remote\":\"10.244.1.%N:4%N\",\"connectionId\":%N,\"connectionCount\":0}}"),
                    1.0);
            case "revoke_auth_mongodb" -> Symptom.errors(faulty,
                    "not authorized on " + db + " to execute command { find: \"" + dependent() + "\", filter: {}, $db: \"" + db + "\" } (server %s:27017)",
                    List.of("{\"t\":{\"$date\":\"%T\"},\"s\":\"I\",\"c\":\"ACCESS\",\"id\":20436,\"ctx\":\"conn%N\",\"msg\":\"Checking authorization failed\",\"attr\":{\"error\":{\"code\":13,\"codeName\":\"Unauthorized\",\"errmsg\":\"not authorized on " + db + " to execute command { find: \\\"" + dependent() + "\\\" }\"}}}"),
                    1.0);
            case "user_unregistered_mongodb" -> Symptom.errors(faulty,
                    "server returned error on SASL authentication step: Authentication failed. (server %s:27017)",
                    List.of("{\"t\":{\"$date\":\"%T\"},\"s\":\"I\",\"c\":\"ACCESS\",\"id\":20249,\"ctx\":\"conn%N\",\"msg\":\"Authentication failed\",\"attr\":{\"mechanism\":\"SCRAM-SHA-1\",\"principalName\":\"admin\",\"authenticationDatabase\":\"admin\",\"result\":\"UserNotFound: Could not find user \\\"admin\\\" for db \\\"admin\\\"\"}}"),
                    1.0);
            case "redeploy_without_PV" -> Symptom.errors("mongodb-geo",
                    "no reachable servers (server %s:27017)", List.of(), 1.0);
            default -> null;
        };
    }

    /** A Hotel Reservation service that is misconfigured, killed, failed or behind a bad network. */
    private Symptom hotelReservationSymptom() {
        return switch (family) {
            case "misconfig_app_hotel_res" -> Symptom.errors(faulty,
                    "rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing dial tcp %s:8083: connect: connection refused\"",
                    List.of("{\"level\":\"info\",\"time\":\"%T\",\"message\":\"Read database URL: mongodb-geo:27777\"}",
                            "{\"level\":\"info\",\"time\":\"%T\",\"message\":\"Initializing DB connection...\"}",
                            "{\"level\":\"panic\",\"time\":\"%T\",\"message\":\"no reachable servers\"}",
                            "panic: no reachable servers"), 1.0);
            case "wrong_bin_usage" -> Symptom.errors(faulty,
                    "rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing dial tcp %s:8081: connect: connection refused\"",
                    List.of("{\"level\":\"info\",\"time\":\"%T\",\"message\":\"Reading config...\"}",
                            "{\"level\":\"info\",\"time\":\"%T\",\"message\":\"Start Geo server. Addr: 0.0.0.0:8083\"}",
                            "{\"level\":\"fatal\",\"time\":\"%T\",\"message\":\"Failed to register service with consul: port 8083 is not declared by this pod\"}"),
                    1.0);
            case "container_kill" -> Symptom.errors(faulty,
                    "rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing dial tcp %s:8083: connect: connection refused\"",
                    List.of("{\"level\":\"info\",\"time\":\"%T\",\"message\":\"Reading config...\"}",
                            "{\"level\":\"info\",\"time\":\"%T\",\"message\":\"Start Geo server. Addr: 0.0.0.0:8083\"}"), 0.05);
            // pod-failure (also used for pod_kill): the pause image serves nothing and logs nothing
            case "pod_failure_hotel_res", "pod_kill_hotel_res" -> Symptom.errors(faulty,
                    "rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing dial tcp %s:8086: connect: connection refused\"",
                    List.of(), 1.0).down();
            // AIOpsLab: aiopslab/generators/fault/inject_symp.py inject_network_loss: loss 99 %, correlation 100
            case "network_loss_hotel_res" -> Symptom.errors(faulty,
                    "rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing dial tcp %s:8086: i/o timeout\"",
                    List.of(), 0.99).withCallDelay(20_000).withTraffic(0.01);
            // AIOpsLab: aiopslab/generators/fault/inject_symp.py inject_network_delay: latency 10s, jitter 0ms
            case "network_delay_hotel_res" -> Symptom.quiet(faulty, List.of(), 0).withCallDelay(10_000).withTraffic(0.3);
            default -> null;
        };
    }

    /** The Astronomy Shop's feature-flag faults. */
    private Symptom astronomyShopSymptom() {
        return switch (family) {
            case "astronomy_shop_ad_service_failure" -> Symptom.errors(faulty,
                    "Error: 13 INTERNAL: failed to get ads from %s: io.grpc.StatusRuntimeException: UNAVAILABLE",
                    List.of("%T ERROR [ad] [AdService] GetAds Failed with status Status{code=UNAVAILABLE, description=null, cause=null}"), 0.1);
            case "astronomy_shop_ad_service_high_cpu" -> Symptom.quiet(faulty, List.of(), 450).withCpu(0.98);
            case "astronomy_shop_ad_service_manual_gc" -> Symptom.quiet(faulty,
                    List.of("%T INFO [ad] [AdService] Triggering a manual garbage collection, next at 10s.",
                            "%T INFO [ad] [AdService] The artificially triggered GCs took: 1284 ms"), 900);
            case "astronomy_shop_cart_service_failure" -> Symptom.errors(faulty,
                    "failed to get cart: rpc error: code = FailedPrecondition desc = Can't access cart storage (%s)",
                    List.of("%T fail: cart.cartstore.ValkeyCartStore[0] Can't access cart storage. System.ApplicationException: Wasn't able to connect to redis"), 0.5);
            // the variant AIOpsLab selects is "10sec" (10000 ms)
            case "astronomy_shop_image_slow_load" -> Symptom.quiet(faulty, List.of(), 10_000);
            case "astronomy_shop_kafka_queue_problems" -> Symptom.quiet(faulty,
                    List.of("[%T] INFO [ReplicaManager broker=1] Log for partition orders-0 has grown to 9.8 GB; consumer group accounting lag 184223 (kafka.server.ReplicaManager)"), 300)
                .withTraffic(40);
            case "astronomy_shop_loadgenerator_flood_homepage" -> Symptom.quiet(faulty, List.of(), 350).withTraffic(25);
            case "astronomy_shop_payment_service_failure" -> Symptom.errors(faulty,
                    "failed to charge card: could not charge the card: rpc error: code = Unknown desc = Payment request failed. Invalid token. (%s)",
                    List.of("{\"level\":\"error\",\"time\":\"%T\",\"msg\":\"Payment request failed. Invalid token. app.loyalty.level=gold\"}"), 1.0);
            case "astronomy_shop_payment_service_unreachable" -> Symptom.errors(faulty,
                    "failed to complete the order: rpc error: code = Internal desc = %s: failed to charge card",
                    List.of("%T ERROR failed to charge card: could not charge the card: rpc error: code = Unavailable desc = name resolver error: produced zero addresses (target badAddress:50051)"), 1.0);
            case "astronomy_shop_product_catalog_service_failure" -> Symptom.errors(faulty,
                    "failed to get product: rpc error: code = Internal desc = Error: Product Catalog Fail Feature Flag Enabled (%s)",
                    List.of("%T ERROR [product-catalog] Error: Product Catalog Fail Feature Flag Enabled"), 0.2);
            case "astronomy_shop_recommendation_service_cache_failure" -> Symptom.quiet(faulty,
                    List.of("%T INFO [recommendation] cache miss: loading product catalogue, cache size %N"), 250).withMemory(6);
            default -> null;
        };
    }

    /** A Flower federated-learning node that stopped or cannot load its model. */
    private Symptom flowerSymptom() {
        return switch (family) {
            case "flower_node_stop" -> Symptom.errors(faulty,
                    "ERROR : Node %s has not sent a heartbeat for 30s, marking it offline", List.of(), 1.0);
            case "flower_model_misconfig" -> Symptom.errors(faulty,
                    "ERROR : ClientApp %s raised an exception during fit: RuntimeError",
                    List.of("ERROR : Traceback (most recent call last):",
                            "RuntimeError: Error(s) in loading state_dict for Net: size mismatch for fc3.weight: copying a param with shape torch.Size([10, 84]) from checkpoint, the shape in current model is torch.Size([100, 84])."),
                    1.0);
            default -> null;
        };
    }
}
