package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;

import static dev.rolloutbatch.environment.simulated.SimTestSupport.sh;
import static org.assertj.core.api.Assertions.assertThat;

/** For every problem (so every fault family and each of its task types): a right answer succeeds, a wrong one fails. */
class SimulatedFaultFamilyTests {

    static Stream<Problem> problems() {
        return SimTestSupport.CATALOG.problems().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void correctSequenceSucceeds(Problem problem) {
        try (EnvironmentSession session = SimTestSupport.ENV.start(problem, 11)) {
            for (String action : correct(session, problem)) {
                session.step(action);
            }
            Evaluation evaluation = session.evaluate();
            assertThat(evaluation.success()).as("%s %s", problem.id(), evaluation.results()).isTrue();
            assertThat(evaluation.reward()).isEqualTo(1.0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void wrongSequenceFails(Problem problem) {
        try (EnvironmentSession session = SimTestSupport.ENV.start(problem, 11)) {
            String wrong = switch (problem.taskType()) {
                case DETECTION -> "submit(\"" + (problem.isNoop() ? "Yes" : "No") + "\")";
                case LOCALIZATION -> "submit([\"jaeger\"])";
                case ANALYSIS -> "submit({\"system_level\": \"" + problem.systemLevel() + "\", \"fault_type\": \"Code Defect\"})";
                case MITIGATION -> {
                    // restarting an unrelated deployment does not fix anything
                    sh(session, "kubectl rollout restart deployment/jaeger -n " + problem.namespace());
                    yield "submit()";
                }
            };
            assertThat(session.step(wrong).done()).isTrue();
            Evaluation evaluation = session.evaluate();
            assertThat(evaluation.success()).as("%s %s", problem.id(), evaluation.results()).isFalse();
            assertThat(evaluation.reward()).isLessThan(1.0);
        }
    }

    /** Deleting what the fault lives in does not crash the twin, and is no mitigation: the application is broken. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void deletingTheFaultyObjectsIsNoFix(Problem problem) {
        try (EnvironmentSession session = SimTestSupport.ENV.start(problem, 11)) {
            String ns = problem.namespace();
            String service = problem.faultyService();
            org.junit.jupiter.api.Assumptions.assumeTrue(service != null && !service.isBlank()
                    && "k8s".equals(problem.deployment()), "a Kubernetes fault with a faulty service");
            assertThat(sh(session, "kubectl delete service " + service + " -n " + ns)).contains("deleted");
            assertThat(sh(session, "kubectl delete deployment " + service + " -n " + ns)).contains("deleted");
            assertThat(sh(session, "kubectl get pods -n " + ns)).contains("NAME");
            assertThat(sh(session, "kubectl get all -n " + ns)).contains("NAME");
            assertThat(session.step(switch (problem.taskType()) {
                case DETECTION -> "submit(\"Yes\")";
                case LOCALIZATION -> "submit([\"jaeger\"])";
                case ANALYSIS -> "submit({\"system_level\": \"Application\", \"fault_type\": \"Code Defect\"})";
                case MITIGATION -> "submit()";
            }).done()).isTrue();
            Evaluation evaluation = session.evaluate();
            if (problem.taskType() == dev.rolloutbatch.catalog.TaskType.MITIGATION) {
                assertThat(evaluation.success()).as("%s %s", problem.id(), evaluation.results()).isFalse();
            }
        }
    }

    static List<String> correct(EnvironmentSession session, Problem problem) {
        String ns = problem.namespace();
        return switch (problem.taskType()) {
            case DETECTION -> List.of("submit(\"" + (problem.isNoop() ? "no" : "YES") + "\")");
            case LOCALIZATION -> List.of("submit([\"" + problem.faultyService() + "\"])");
            case ANALYSIS -> List.of("submit({\"system_level\": \"" + problem.systemLevel() + "\", \"fault_type\": \""
                    + problem.faultType() + "\"})");
            case MITIGATION -> {
                List<String> fix = new ArrayList<>();
                String s = problem.faultyService();
                switch (problem.faultFamily()) {
                    case "k8s_target_port-misconfig" -> fix.add(shell("kubectl patch svc " + s + " -n " + ns
                            + " -p '{\"spec\":{\"ports\":[{\"port\":9090,\"targetPort\":9090}]}}'"));
                    // AIOpsLab: aiopslab/generators/fault/inject_app.py: the fault is tls.mode requireTLS in the
                    // database's mongod.conf ConfigMap; mongod reads it at start, so the fix is an edit and a restart
                    case "auth_miss_mongodb" -> {
                        fix.add(shell("kubectl patch configmap " + s + " -n " + ns
                                + " --type merge -p '{\"data\":{\"mongod.conf\":\"net:\\n  tls:\\n    mode: disabled\\n\"}}'"));
                        fix.add(shell("kubectl rollout restart deployment/" + s + " -n " + ns));
                    }
                    case "revoke_auth_mongodb" -> fix.add(shell("kubectl exec " + SimTestSupport.pod(session, ns, s) + " -n " + ns
                            + " -- mongo admin -u admin -p admin --eval 'db.grantRolesToUser(\"admin\", [{role: \"readWrite\", db: \""
                            + s.substring(8) + "-db\"}])'"));
                    case "user_unregistered_mongodb" -> fix.add(shell("kubectl exec " + SimTestSupport.pod(session, ns, s) + " -n " + ns
                            + " -- mongo admin --eval 'db.createUser({user: \"admin\", pwd: \"admin\", roles: [\"userAdminAnyDatabase\"]})'"));
                    case "misconfig_app_hotel_res" -> fix.add(shell("kubectl set image deployment/geo hotel-reserv-geo=yinfangchen/hotelreservation:latest -n " + ns));
                    case "scale_pod_zero_social_net" -> fix.add(shell("kubectl scale deployment " + s + " --replicas=1 -n " + ns));
                    case "assign_to_non_existent_node_social_net" -> fix.add(shell("kubectl patch deployment " + s + " -n " + ns
                            + " --type json -p '[{\"op\":\"remove\",\"path\":\"/spec/template/spec/nodeSelector\"}]'"));
                    case "wrong_bin_usage" -> fix.add(shell("kubectl patch deployment " + s + " -n " + ns
                            + " --type=json -p='[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/command\",\"value\":[\"profile\"]}]'"));
                    case "redeploy_without_PV" -> {
                        for (String db : List.of("geo", "profile", "rate", "recommendation", "reservation", "user")) {
                            fix.add(shell("kubectl patch deployment mongodb-" + db + " -n " + ns + " --type json -p '[{\"op\":\"remove\",\"path\":\"/spec/template/spec/volumes\"},"
                                    + "{\"op\":\"remove\",\"path\":\"/spec/template/spec/containers/0/volumeMounts\"}]'"));
                        }
                    }
                    case "astronomy_shop_kafka_queue_problems" -> {
                        JsonMapper json = JsonMapper.builder().build();
                        ObjectNode cm = (ObjectNode) json.readTree(sh(session, "kubectl get configmap flagd-config -n " + ns + " -o json"));
                        ObjectNode flags = (ObjectNode) json.readTree(cm.at("/data/demo.flagd.json").asString());
                        ((ObjectNode) flags.at("/flags/kafkaQueueProblems")).put("defaultVariant", "off");
                        ObjectNode patch = json.createObjectNode();
                        patch.putObject("data").put("demo.flagd.json", flags.toString());
                        fix.add("exec_shell(" + ToolPython.string("kubectl patch configmap flagd-config -n " + ns + " --type merge -p '"
                                + patch.toString().replace("'", "'\\''") + "'") + ")");
                    }
                    default -> throw new AssertionError("no mitigation known for " + problem.faultFamily());
                }
                fix.add("submit()");
                yield fix;
            }
        };
    }

    private static String shell(String command) {
        return "exec_shell(" + ToolPython.string(command) + ")";
    }

    /** Python string literal. */
    static final class ToolPython {
        static String string(String text) {
            // AIOpsLab's shell rule: only quotes are escaped (see TextProtocol.shellCall)
            return "\"" + text.replace("\"", "\\\"").replace("'", "\\'") + "\"";
        }
    }
}
