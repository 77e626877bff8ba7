package dev.rolloutbatch.environment.simulated;

import java.util.List;

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

    enum PodFault { NONE, CRASH, NOT_READY, RESTARTED, STOPPED }

    static final FaultModel NONE = new FaultModel("noop", "");

    static final String BUGGY_GEO_IMAGE = "yinfangchen/geo:app3";
    static final String ROLES_REVOKED = "mongodb-roles-revoked";
    static final String USER_DROPPED = "mongodb-user-dropped";

    final String family;
    final String faulty;

    FaultModel(String family, String faulty) {
        this.family = family;
        this.faulty = faulty;
    }

    static FaultModel of(Problem problem) {
        return new FaultModel(problem.faultFamily(), problem.faultyService() == null ? "" : problem.faultyService());
    }

    /** The feature flag of an astronomy-shop family, or null. */
    String flag() {
        return switch (family) {
            case "astronomy_shop_ad_service_failure" -> "adServiceFailure";
            case "astronomy_shop_ad_service_high_cpu" -> "adServiceHighCpu";
            case "astronomy_shop_ad_service_manual_gc" -> "adServiceManualGc";
            case "astronomy_shop_cart_service_failure" -> "cartServiceFailure";
            case "astronomy_shop_image_slow_load" -> "imageSlowLoad";
            case "astronomy_shop_kafka_queue_problems" -> "kafkaQueueProblems";
            case "astronomy_shop_loadgenerator_flood_homepage" -> "loadGeneratorFloodHomepage";
            case "astronomy_shop_payment_service_failure" -> "paymentServiceFailure";
            case "astronomy_shop_payment_service_unreachable" -> "paymentServiceUnreachable";
            case "astronomy_shop_product_catalog_service_failure" -> "productCatalogFailure";
            case "astronomy_shop_recommendation_service_cache_failure" -> "recommendationServiceCacheFailure";
            default -> null;
        };
    }

    void inject(Cluster c) {
        switch (family) {
            case "k8s_target_port-misconfig" -> ((ObjectNode) c.services.get(faulty).at(Pointers.FIRST_PORT)).put("targetPort", 9999);
            case "auth_miss_mongodb" -> c.updateTemplate(faulty,
                    t -> ((ArrayNode) t.at("/spec/containers/0/args")).add("--auth"));
            case "revoke_auth_mongodb" -> c.flags.add(ROLES_REVOKED);
            case "user_unregistered_mongodb" -> c.flags.add(USER_DROPPED);
            case "misconfig_app_hotel_res" -> c.updateTemplate(faulty,
                    t -> ((ObjectNode) t.at("/spec/containers/0")).put("image", BUGGY_GEO_IMAGE));
            case "scale_pod_zero_social_net" -> ((ObjectNode) c.deployments.get(faulty).get("spec")).put("replicas", 0);
            case "assign_to_non_existent_node_social_net" -> c.updateTemplate(faulty,
                    t -> ((ObjectNode) t.get("spec")).putObject("nodeSelector").put("kubernetes.io/hostname", "extra-node"));
            case "wrong_bin_usage" -> c.updateTemplate(faulty, t -> {
                ArrayNode command = ((ObjectNode) t.at("/spec/containers/0")).putArray("command");
                command.add("geo");
            });
            case "redeploy_without_PV" -> c.pvcs.replaceAll((name, pvc) -> ClusterFactory.pvc(c.namespace, name, false));
            case "pod_kill_hotel_res" -> {
                c.pods.removeIf(p -> p.service.equals(faulty));
                long saved = c.now;
                c.now = saved - 30 - c.random.nextInt(40);
                c.reconcile();
                c.event("Normal", "Killing", "pod/" + faulty, "Stopping container " + c.topology.container(faulty));
                c.now = saved;
            }
            default -> {
                if (flag() != null) {
                    setFlag(c, flag(), "on");
                }
            }
        }
    }

    static void setFlag(Cluster c, String flag, String variant) {
        ObjectNode cm = c.configMaps.get("flagd-config");
        ObjectNode flags = (ObjectNode) Cluster.JSON.readTree(cm.at(Pointers.FLAGD_JSON).asString());
        ((ObjectNode) flags.at("/flags/" + flag)).put("defaultVariant", variant);
        ((ObjectNode) cm.get("data")).put("demo.flagd.json", flags.toPrettyString());
    }

    static boolean flagOn(Cluster c, String flag) {
        ObjectNode cm = c.configMaps.get("flagd-config");
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
            case "k8s_target_port-misconfig" -> Cluster.targetPort(c.services.get(faulty).at(Pointers.FIRST_PORT)) != 9090;
            case "auth_miss_mongodb" -> argsOf(c, faulty).contains("--auth");
            case "revoke_auth_mongodb" -> c.flags.contains(ROLES_REVOKED);
            case "user_unregistered_mongodb" -> c.flags.contains(USER_DROPPED);
            case "misconfig_app_hotel_res" -> BUGGY_GEO_IMAGE.equals(c.container(faulty).path("image").asString());
            case "scale_pod_zero_social_net" -> c.replicas(faulty) < 1;
            case "assign_to_non_existent_node_social_net" -> c.unschedulableReason(faulty) != null;
            case "wrong_bin_usage" -> !commandOf(c, faulty).equals(List.of(faulty)) && !commandOf(c, faulty).isEmpty();
            case "redeploy_without_PV" -> c.deployments.keySet().stream().anyMatch(d -> c.unschedulableReason(d) != null);
            default -> flag() == null || flagOn(c, flag());
        };
    }

    /** The family's own mitigation check; the grader also requires every pod to be ready. */
    boolean mitigated(Cluster c) {
        return !active(c);
    }

    private static List<String> argsOf(Cluster c, String deployment) {
        JsonNode args = c.container(deployment).get("args");
        return args == null ? List.of() : args.valueStream().map(JsonNode::asString).toList();
    }

    private static List<String> commandOf(Cluster c, String deployment) {
        JsonNode command = c.container(deployment).get("command");
        return command == null ? List.of() : command.valueStream().map(JsonNode::asString).toList();
    }

    /** The service whose database access a MongoDB fault breaks, e.g. geo for mongodb-geo. */
    private String dependent() {
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
            case "pod_failure_hotel_res" -> service.equals(faulty) ? PodFault.NOT_READY : PodFault.NONE;
            case "flower_node_stop" -> service.equals(faulty) ? PodFault.STOPPED : PodFault.NONE;
            default -> PodFault.NONE;
        };
    }

    /** How the fault shows in logs, metrics and traces right now, or null when it does not. */
    Symptom symptom(Cluster c) {
        if (!active(c)) {
            return null;
        }
        String db = dependent() + "-db";
        return switch (family) {
            case "k8s_target_port-misconfig", "scale_pod_zero_social_net", "assign_to_non_existent_node_social_net" ->
                Symptom.errors(faulty, "TSocket::open() connect() <Host: %s Port: 9090>: Connection refused", List.of(), 1.0);
            case "auth_miss_mongodb" -> Symptom.errors(faulty,
                    "Failed to insert into MongoDB %s: command insert requires authentication (13 Unauthorized)",
                    List.of("{\"t\":{\"$date\":\"%T\"},\"s\":\"I\",\"c\":\"COMMAND\",\"id\":51803,\"ctx\":\"conn%N\",\"msg\":\"Slow query\",\"attr\":{\"type\":\"command\",\"ns\":\"url-shorten.url-shorten\",\"command\":{\"insert\":\"url-shorten\"},\"ok\":0,\"errMsg\":\"command insert requires authentication\",\"errName\":\"Unauthorized\",\"errCode\":13}}"),
                    1.0);
            case "revoke_auth_mongodb" -> Symptom.errors(faulty,
                    "not authorized on " + db + " to execute command { find: \"" + dependent() + "\", filter: {}, $db: \"" + db + "\" } (server %s:27017)",
                    List.of("{\"t\":{\"$date\":\"%T\"},\"s\":\"I\",\"c\":\"ACCESS\",\"id\":20436,\"ctx\":\"conn%N\",\"msg\":\"Checking authorization failed\",\"attr\":{\"error\":{\"code\":13,\"codeName\":\"Unauthorized\",\"errmsg\":\"not authorized on " + db + " to execute command { find: \\\"" + dependent() + "\\\" }\"}}}"),
                    1.0);
            case "user_unregistered_mongodb" -> Symptom.errors(faulty,
                    "server returned error on SASL authentication step: Authentication failed. (server %s:27017)",
                    List.of("{\"t\":{\"$date\":\"%T\"},\"s\":\"I\",\"c\":\"ACCESS\",\"id\":20249,\"ctx\":\"conn%N\",\"msg\":\"Authentication failed\",\"attr\":{\"mechanism\":\"SCRAM-SHA-1\",\"principalName\":\"admin\",\"authenticationDatabase\":\"admin\",\"result\":\"UserNotFound: Could not find user \\\"admin\\\" for db \\\"admin\\\"\"}}"),
                    1.0);
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
            case "redeploy_without_PV" -> Symptom.errors("mongodb-geo",
                    "no reachable servers (server %s:27017)", List.of(), 1.0);
            case "container_kill" -> Symptom.errors(faulty,
                    "rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing dial tcp %s:8083: connect: connection refused\"",
                    List.of("{\"level\":\"info\",\"time\":\"%T\",\"message\":\"Reading config...\"}",
                            "{\"level\":\"info\",\"time\":\"%T\",\"message\":\"Start Geo server. Addr: 0.0.0.0:8083\"}"), 0.05);
            case "pod_failure_hotel_res" -> Symptom.errors(faulty,
                    "rpc error: code = Unavailable desc = no healthy upstream for %s", List.of(), 1.0);
            case "pod_kill_hotel_res" -> Symptom.errors(faulty,
                    "rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing dial tcp %s:8086: i/o timeout\"",
                    List.of(), 0.02);
            case "network_loss_hotel_res" -> Symptom.errors(faulty,
                    "rpc error: code = DeadlineExceeded desc = context deadline exceeded while calling %s", List.of(), 0.35)
                .withLatency(2000);
            case "network_delay_hotel_res" -> Symptom.quiet(faulty, List.of(), 1200);
            case "astronomy_shop_ad_service_failure" -> Symptom.errors(faulty,
                    "Error: 13 INTERNAL: failed to get ads from %s: io.grpc.StatusRuntimeException: UNAVAILABLE",
                    List.of("%T ERROR [ad] [AdService] GetAds Failed with status Status{code=UNAVAILABLE, description=null, cause=null}"), 0.1);
            case "astronomy_shop_ad_service_high_cpu" -> Symptom.quiet(faulty, List.of(), 450).withCpu(980);
            case "astronomy_shop_ad_service_manual_gc" -> Symptom.quiet(faulty,
                    List.of("%T INFO [ad] [AdService] Triggering a manual garbage collection, next at 10s.",
                            "%T INFO [ad] [AdService] The artificially triggered GCs took: 1284 ms"), 900);
            case "astronomy_shop_cart_service_failure" -> Symptom.errors(faulty,
                    "failed to get cart: rpc error: code = FailedPrecondition desc = Can't access cart storage (%s)",
                    List.of("%T fail: cart.cartstore.ValkeyCartStore[0] Can't access cart storage. System.ApplicationException: Wasn't able to connect to redis"), 0.5);
            case "astronomy_shop_image_slow_load" -> Symptom.quiet(faulty, List.of(), 5200);
            case "astronomy_shop_kafka_queue_problems" -> Symptom.quiet(faulty,
                    List.of("[%T] INFO [ReplicaManager broker=1] Log for partition orders-0 has grown to 9.8 GB; consumer group accounting lag 184223 (kafka.server.ReplicaManager)"), 300)
                .withRps(40);
            case "astronomy_shop_loadgenerator_flood_homepage" -> Symptom.quiet(faulty, List.of(), 350).withRps(25);
            case "astronomy_shop_payment_service_failure" -> Symptom.errors(faulty,
                    "failed to charge card: could not charge the card: rpc error: code = Unknown desc = Payment request failed. Invalid token. (%s)",
                    List.of("{\"level\":\"error\",\"time\":\"%T\",\"msg\":\"Payment request failed. Invalid token. app.loyalty.level=gold\"}"), 0.5);
            case "astronomy_shop_payment_service_unreachable" -> Symptom.errors(faulty,
                    "failed to complete the order: rpc error: code = Internal desc = %s: failed to charge card",
                    List.of("%T ERROR failed to charge card: could not charge the card: rpc error: code = Unavailable desc = name resolver error: produced zero addresses (target badAddress:50051)"), 1.0);
            case "astronomy_shop_product_catalog_service_failure" -> Symptom.errors(faulty,
                    "failed to get product: rpc error: code = Internal desc = Error: Product Catalog Fail Feature Flag Enabled (%s)",
                    List.of("%T ERROR [product-catalog] Error: Product Catalog Fail Feature Flag Enabled"), 0.2);
            case "astronomy_shop_recommendation_service_cache_failure" -> Symptom.quiet(faulty,
                    List.of("%T INFO [recommendation] cache miss: loading product catalogue, cache size %N"), 250).withMemory(6);
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
