package dev.rolloutbatch.environment.simulated;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.rolloutbatch.environment.EnvironmentSession;

import static dev.rolloutbatch.environment.simulated.SimTestSupport.sh;
import static org.assertj.core.api.Assertions.assertThat;

class SimulatedShellTests {

    private static final String NS = "test-social-network";

    private EnvironmentSession targetPort() {
        return SimTestSupport.start("k8s_target_port-misconfig-mitigation-1", 5);
    }

    @Test
    void unknownCommandGetsTheShellError() {
        try (EnvironmentSession s = targetPort()) {
            assertThat(sh(s, "foo --bar")).isEqualTo("bash: foo: command not found");
            assertThat(sh(s, "kubectl frobnicate")).startsWith("error: unknown command \"frobnicate\" for \"kubectl\"");
            assertThat(s.step("launch_rocket()").observation()).startsWith("Error: 'launch_rocket' is not an action of this task.");
            assertThat(s.step("exec_shell(\"kubectl get pods").observation()).startsWith("Error parsing your action");
            assertThat(s.step("exec_shell(\"kubectl get pods\")").done()).isFalse();
        }
    }

    @Test
    void blockedCommandsAreRefused() {
        try (EnvironmentSession s = targetPort()) {
            assertThat(sh(s, "kubectl edit svc user-service -n " + NS)).contains("Cannot use `kubectl edit`");
            assertThat(sh(s, "kubectl port-forward svc/nginx-thrift 8080:8080 -n " + NS)).contains("port-forward");
            assertThat(sh(s, "kubectl logs -f deployment/user-service -n " + NS)).contains("--follow");
            assertThat(sh(s, "kubectl get pods -w -n " + NS)).contains("--watch");
            assertThat(sh(s, "kubectl exec -it user-service -n " + NS + " -- sh")).contains("interactive");
            assertThat(sh(s, "vim /etc/hosts")).contains("interactive");
        }
    }

    @Test
    void labelSelectorsPipesAndTables() {
        try (EnvironmentSession s = targetPort()) {
            String pods = sh(s, "kubectl get pods -n " + NS + " -l app=user-service");
            assertThat(pods.split("\n")).hasSize(2);
            assertThat(pods).startsWith("NAME").contains("user-service-").doesNotContain("nginx-thrift");
            assertThat(sh(s, "kubectl get pods -n " + NS + " -l app=nope")).isEqualTo("No resources found in " + NS + " namespace.");
            assertThat(sh(s, "kubectl get pods --all-namespaces")).startsWith("NAMESPACE").contains("kube-system").contains(NS);
            assertThat(sh(s, "kubectl get pods -n " + NS + " | grep -c x")).isNotNull();
            assertThat(sh(s, "kubectl get pods -n " + NS + " | grep user-service | wc -l")).isEqualTo("1");
            assertThat(sh(s, "kubectl get endpoints user-service -n " + NS)).contains(":9999");
            assertThat(sh(s, "kubectl get svc user-service -n " + NS + " -o wide")).contains("9090/TCP").contains("app=user-service");
            assertThat(sh(s, "kubectl describe svc user-service -n " + NS)).contains("TargetPort:       9999/TCP");
            assertThat(sh(s, "kubectl get pods -n default")).isEqualTo("No resources found in default namespace.");
            assertThat(sh(s, "kubectl get svc nope -n " + NS)).isEqualTo("Error from server (NotFound): services \"nope\" not found");
        }
    }

    @Test
    void yamlJsonAndJsonPathOutput() {
        try (EnvironmentSession s = targetPort()) {
            String yaml = sh(s, "kubectl get svc user-service -n " + NS + " -o yaml");
            assertThat(yaml).startsWith("apiVersion: v1\nkind: Service\n").contains("  - name: \"9090\"").contains("    targetPort: 9999");
            JsonNode json = JsonMapper.builder().build().readTree(sh(s, "kubectl get deployment user-service -n " + NS + " -o json"));
            assertThat(json.at("/spec/replicas").asInt()).isEqualTo(1);
            JsonNode list = JsonMapper.builder().build().readTree(sh(s, "kubectl get pods -n " + NS + " -o json"));
            assertThat(list.path("kind").asString()).isEqualTo("List");
            assertThat(list.path("items").size()).isEqualTo(SimTestSupport.CATALOG.application("SocialNetwork").services().size());
            assertThat(sh(s, "kubectl get svc user-service -n " + NS + " -o jsonpath='{.spec.ports[0].targetPort}'")).isEqualTo("9999");
        }
    }

    @Test
    void mitigationChangesStateAndIsGradedOnIt() {
        try (EnvironmentSession s = targetPort()) {
            assertThat(sh(s, "kubectl patch svc user-service -n " + NS + " --type merge -p '{\"spec\": {\"ports\": [{\"name\": \"9090\", \"port\": 9090, \"targetPort\": 9090}]}}'"))
                .isEqualTo("service/user-service patched");
            assertThat(sh(s, "kubectl get endpoints user-service -n " + NS)).contains(":9090").doesNotContain(":9999");
            String pod = SimTestSupport.pod(s, NS, "compose-post-service");
            assertThat(sh(s, "kubectl delete pod " + pod + " -n " + NS)).isEqualTo("pod \"" + pod + "\" deleted");
            assertThat(sh(s, "kubectl get pods -n " + NS)).doesNotContain(pod).contains("compose-post-service-");
            s.step("submit()");
            assertThat(s.evaluate().success()).isTrue();
        }
        try (EnvironmentSession s = SimTestSupport.start("scale_pod_zero_social_net-mitigation-1", 5)) {
            assertThat(sh(s, "kubectl get deployments -n " + NS)).containsPattern("user-service\\s+0/0");
            assertThat(sh(s, "kubectl scale deployment user-service --replicas=0 -n " + NS)).contains("scaled");
            s.step("submit()");
            assertThat(s.evaluate().results()).containsEntry("success", false);
        }
    }

    @Test
    void evaluateWithoutSubmitIsAFailureWithNoSubmission() {
        try (EnvironmentSession s = SimTestSupport.start("container_kill-detection", 1)) {
            var evaluation = s.evaluate();
            assertThat(evaluation.success()).isFalse();
            assertThat(evaluation.results()).containsEntry("Detection Accuracy", "Invalid Format");
            assertThat(evaluation.submission()).isNull();
            assertThat(evaluation.reward()).isNegative();
            assertThat(evaluation.rewardComponents()).containsEntry("invalid_format", -0.1);
        }
        try (EnvironmentSession s = SimTestSupport.start("container_kill-localization", 1)) {
            assertThat(s.step("submit()").done()).isFalse();
            assertThat(s.step("submit([\"search\", \"geo\"])").done()).isTrue();
            var evaluation = s.evaluate();
            assertThat(evaluation.results()).containsEntry("Localization Accuracy", 50.0).containsEntry("is_subset", true)
                .containsEntry("success", false);
            assertThat(evaluation.reward()).isEqualTo(0.25);
        }
    }

    @Test
    void faultsShowTheWayTheyWouldOnACluster() {
        try (EnvironmentSession s = SimTestSupport.start("assign_to_non_existent_node_social_net-detection-1", 2)) {
            assertThat(sh(s, "kubectl get pods -n " + NS + " | grep user-service")).contains("Pending");
            assertThat(sh(s, "kubectl get events -n " + NS)).contains("FailedScheduling").contains("node affinity/selector");
        }
        try (EnvironmentSession s = SimTestSupport.start("revoke_auth_mongodb-detection-1", 2)) {
            assertThat(sh(s, "kubectl get pods -n test-hotel-reservation | grep geo")).contains("CrashLoopBackOff");
            assertThat(s.step("get_logs(\"test-hotel-reservation\", \"geo\")").observation()).contains("not authorized on geo-db");
        }
        try (EnvironmentSession s = SimTestSupport.start("flower_node_stop-detection", 2)) {
            assertThat(sh(s, "docker ps -a")).containsPattern("Exited \\(0\\)\\s+supernode-1");
            assertThat(sh(s, "docker ps")).doesNotContain("supernode-1");
        }
        try (EnvironmentSession s = SimTestSupport.start("noop_detection_hotel_reservation-1", 2)) {
            assertThat(sh(s, "kubectl get pods -n test-hotel-reservation")).doesNotContain("CrashLoopBackOff").doesNotContain("Pending");
            assertThat(s.step("get_logs(\"test-hotel-reservation\", \"frontend\")").observation()).doesNotContainIgnoringCase("error");
        }
    }

    /** Labels print sorted by key, as kubectl prints them, so that the same seed gives the same text in every JVM. */
    @Test
    void nodeLabelsPrintInKubectlsOrder() {
        try (EnvironmentSession s = targetPort()) {
            assertThat(sh(s, "kubectl get nodes --show-labels"))
                .contains("kubernetes.io/hostname=kind-worker,kubernetes.io/os=linux");
        }
    }
}
