package dev.rolloutbatch.environment.simulated;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rolloutbatch.environment.EnvironmentSession;

import static dev.rolloutbatch.environment.simulated.SimTestSupport.sh;
import static dev.rolloutbatch.environment.simulated.SimTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a real AIOpsLab cluster shows for each fault family and what its telemetry actions return, one fact per
 * test, each citing the AIOpsLab file it comes from.
 */
class AiopsLabClusterFactsTests {

    private static final String SN = "test-social-network";
    private static final String HR = "test-hotel-reservation";
    private static final String AS = "astronomy-shop";

    // AIOpsLab: aiopslab/generators/fault/inject_app.py inject_auth_miss_mongodb (helm upgrade with
    // url-shorten-mongodb.tls.mode=requireTLS and tls.certificateKeyFile=/etc/tls/tls.pem)
    @Test
    void authMissIsRequiredTlsInMongodConfigAndRolloutUndoLeavesIt() {
        try (EnvironmentSession s = start("auth_miss_mongodb-mitigation-1", 5)) {
            assertThat(sh(s, "kubectl get configmap url-shorten-mongodb -n " + SN + " -o yaml"))
                .contains("mode: requireTLS").contains("certificateKeyFile: /etc/tls/tls.pem");
            assertThat(sh(s, "kubectl get deployment url-shorten-mongodb -n " + SN + " -o json")).doesNotContain("--auth")
                .contains("mongodb-tls");
            assertThat(sh(s, "kubectl rollout undo deployment/url-shorten-mongodb -n " + SN)).contains("rolled back");
            assertThat(s.step("get_logs(\"" + SN + "\", \"url-shorten-mongodb\")").observation())
                .contains("The server is configured to only allow SSL connections");
            // the dependent service loops on creating its index and never serves, so it reports no spans
            String traces = s.step("get_traces(\"" + SN + "\", 10)").observation();
            assertThat(sh(s, "cat " + traces.substring(traces.indexOf(": ") + 2))).contains(",text-service,")
                .doesNotContain(",url-shorten-service,");
            assertThat(s.step("submit()").done()).isTrue();
            assertThat(s.evaluate().success()).as("the ConfigMap still requires TLS").isFalse();
        }
    }

    // AIOpsLab: aiopslab/generators/fault/inject_virtual.py inject_misconfig_k8s (the Service's targetPort is patched;
    // the deployment never changes, so it has no revision to go back to)
    @Test
    void targetPortFaultLivesInTheServiceOutOfRolloutUndosReach() {
        try (EnvironmentSession s = start("k8s_target_port-misconfig-mitigation-1", 5)) {
            assertThat(sh(s, "kubectl rollout undo deployment/user-service -n " + SN))
                .isEqualTo("error: no rollout history found for deployment \"user-service\"");
            sh(s, "kubectl rollout restart deployment/user-service -n " + SN);
            assertThat(sh(s, "kubectl rollout undo deployment/user-service -n " + SN)).contains("rolled back");
            assertThat(sh(s, "kubectl get service user-service -n " + SN + " -o jsonpath={.spec.ports[0].targetPort}"))
                .isEqualTo("9999");
            assertThat(s.step("submit()").done()).isTrue();
            assertThat(s.evaluate().success()).isFalse();
        }
    }

    // AIOpsLab: aiopslab/generators/fault/inject_virtual.py inject_assign_to_non_existent_node and
    // inject_wrong_bin_usage (kubectl delete deployment, then kubectl apply: a new deployment without history)
    @Test
    void deleteAndApplyInjectionsLeaveNoRolloutHistory() {
        try (EnvironmentSession s = start("assign_to_non_existent_node_social_net-mitigation-1", 5)) {
            assertThat(sh(s, "kubectl rollout undo deployment/user-service -n " + SN))
                .isEqualTo("error: no rollout history found for deployment \"user-service\"");
            assertThat(sh(s, "kubectl get pods -n " + SN + " | grep user-service")).contains("Pending");
        }
        try (EnvironmentSession s = start("wrong_bin_usage-mitigation-1", 5)) {
            assertThat(sh(s, "kubectl rollout undo deployment/profile -n " + HR))
                .isEqualTo("error: no rollout history found for deployment \"profile\"");
            assertThat(sh(s, "kubectl get deployment profile -n " + HR + " -o jsonpath={.spec.template.spec.containers[0].command}"))
                .contains("geo");
        }
        // AIOpsLab: aiopslab/generators/fault/inject_app.py inject_misconfig_app (update_deployment: a revision to undo)
        try (EnvironmentSession s = start("misconfig_app_hotel_res-mitigation-1", 5)) {
            assertThat(sh(s, "kubectl rollout undo deployment/geo -n " + HR)).contains("rolled back");
            assertThat(s.step("submit()").done()).isTrue();
            assertThat(s.evaluate().success()).isTrue();
        }
    }

    // AIOpsLab: aiopslab/generators/fault/inject_otel.py (flag set in ConfigMap flagd-config, then
    // kubectl rollout restart deployment flagd) and aiopslab/orchestrator/problems/kafka_queue_problems/
    @Test
    void flagdFaultsLiveInTheConfigMapUnderAiopsLabsFlagNames() {
        try (EnvironmentSession s = start("astronomy_shop_kafka_queue_problems-mitigation-1", 5)) {
            String config = sh(s, "kubectl get configmap flagd-config -n " + AS + " -o yaml");
            assertThat(config).contains("\"kafkaQueueProblems\"").contains("\"paymentFailure\"").contains("\"adFailure\"")
                .contains("\"recommendationCacheFailure\"").doesNotContain("adServiceFailure");
            assertThat(sh(s, "kubectl get deployment flagd -n " + AS + " -o yaml")).contains("kubectl.kubernetes.io/restartedAt")
                .contains("deployment.kubernetes.io/revision: \"2\"");
            assertThat(sh(s, "kubectl rollout undo deployment/flagd -n " + AS)).contains("rolled back");
            sh(s, "kubectl rollout undo deployment/kafka -n " + AS);
            assertThat(s.step("submit()").done()).isTrue();
            assertThat(s.evaluate().success()).as("the flag is still on in the ConfigMap").isFalse();
        }
        try (EnvironmentSession s = start("astronomy_shop_payment_service_failure-detection-1", 5)) {
            assertThat(sh(s, "kubectl get configmap flagd-config -n " + AS + " -o json")).contains("\\\"defaultVariant\\\": \\\"100%\\\"");
        }
        try (EnvironmentSession s = start("astronomy_shop_image_slow_load-detection-1", 5)) {
            assertThat(sh(s, "kubectl get configmap flagd-config -n " + AS + " -o json")).contains("\\\"defaultVariant\\\": \\\"10sec\\\"");
        }
    }

    // AIOpsLab: aiopslab/observer/trace_api.py (a jaeger pod labelled app.kubernetes.io/name=jaeger in astronomy-shop)
    @Test
    void theDemoRunsItsObservabilityPodsInItsOwnNamespace() {
        try (EnvironmentSession s = start("astronomy_shop_ad_service_failure-localization-1", 5)) {
            String pods = sh(s, "kubectl get pods -n " + AS);
            assertThat(pods).contains("\njaeger-").contains("\notel-collector-").contains("\nprometheus-").contains("\ngrafana-");
            assertThat(s.step("get_logs(\"" + AS + "\", \"jaeger\")").observation()).doesNotContain("does not exist");
        }
    }

    // AIOpsLab: aiopslab/generators/fault/inject_symp.py inject_network_delay (NetworkChaos "delay": latency 10s,
    // correlation 100, jitter 0ms) and inject_network_loss (NetworkChaos "loss": loss 99, correlation 100)
    @Test
    void networkChaosIsTheExperimentAiopsLabApplies() {
        try (EnvironmentSession s = start("network_delay_hotel_res-detection-1", 5)) {
            assertThat(sh(s, "kubectl get networkchaos -n " + HR)).containsPattern("delay\\s+delay\\s+200s");
            assertThat(sh(s, "kubectl get networkchaos delay -n " + HR + " -o yaml")).contains("latency: \"10s\"")
                .contains("correlation: \"100\"").contains("jitter: \"0ms\"").contains("io.kompose.service: user");
            assertThat(sh(s, "kubectl get pods -n chaos-mesh")).contains("chaos-controller-manager-").contains("chaos-daemon-")
                .contains("chaos-dashboard-");
            assertThat(sh(s, "kubectl get namespaces")).contains("chaos-mesh");
        }
        try (EnvironmentSession s = start("network_loss_hotel_res-detection-1", 5)) {
            assertThat(sh(s, "kubectl get networkchaos loss -n " + HR + " -o yaml")).contains("loss: \"99\"")
                .contains("correlation: \"100\"");
        }
        try (EnvironmentSession s = start("k8s_target_port-misconfig-detection-1", 5)) {
            assertThat(sh(s, "kubectl get namespaces")).doesNotContain("chaos-mesh");
        }
    }

    // AIOpsLab: aiopslab/generators/fault/inject_symp.py inject_pod_failure and inject_pod_kill (both PodChaos
    // action pod-failure, duration 100s): the pod keeps running with a pause image in place of its own
    @Test
    void podFailureAndPodKillRunAPauseImageInAPodThatStaysRunning() {
        for (String id : List.of("pod_failure_hotel_res-detection-1", "pod_kill_hotel_res-detection-1")) {
            try (EnvironmentSession s = start(id, 5)) {
                String name = id.startsWith("pod_kill") ? "pod-kill" : "pod-failure-experiment";
                assertThat(sh(s, "kubectl get podchaos -n " + HR)).containsPattern(name + "\\s+pod-failure\\s+100s");
                String pod = SimTestSupport.pod(s, HR, "user");
                assertThat(sh(s, "kubectl get pods -n " + HR + " | grep " + pod)).containsPattern("1/1\\s+Running\\s+1");
                assertThat(sh(s, "kubectl get pod " + pod + " -n " + HR + " -o jsonpath={.spec.containers[0].image}"))
                    .isEqualTo("gcr.io/google-containers/pause:latest");
                assertThat(sh(s, "kubectl delete podchaos " + name + " -n " + HR)).contains("deleted");
                assertThat(sh(s, "kubectl get pod " + pod + " -n " + HR + " -o jsonpath={.spec.containers[0].image}"))
                    .isEqualTo("yinfangchen/hotelreservation:latest");
            }
        }
    }

    // AIOpsLab: aiopslab/observer/metric_api.py (normal_metrics; export_all_metrics writes container/kpi_<metric>.csv
    // with timestamp, cmdb_id = instance + "." + pod, kpi_name, value) and
    // aiopslab/observer/prometheus/prometheus/values.yaml (cadvisor scraped through kubernetes.default.svc:443)
    @Test
    void metricsAreAFolderOfPerMetricContainerCsvsWithoutRequestSignals() {
        try (EnvironmentSession s = start("network_delay_hotel_res-detection-1", 5)) {
            String answer = s.step("get_metrics(\"" + HR + "\", 5)").observation();
            String directory = answer.lines().findFirst().orElseThrow().substring("Metrics data exported to directory: ".length());
            List<String> files = answer.lines().filter(l -> l.startsWith("        ")).map(String::strip).toList();
            assertThat(files).hasSize(24).allMatch(f -> f.startsWith("kpi_container_") && f.endsWith(".csv"))
                .contains("kpi_container_cpu_usage_seconds_total.csv", "kpi_container_memory_working_set_bytes.csv",
                        "kpi_container_network_transmit_bytes_total.csv")
                .noneMatch(f -> f.contains("threads_max") || f.contains("error_rate") || f.contains("latency"));
            String csv = sh(s, "cat " + directory + "/container/kpi_container_network_receive_bytes_total.csv");
            assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo("timestamp,cmdb_id,kpi_name,value");
            assertThat(csv.lines().skip(1).findFirst().orElseThrow())
                .matches("\\d{10},kubernetes\\.default\\.svc:443\\.[a-z0-9-]+,container_network_receive_bytes_total\\.eth0,\\d+\\.\\d+");
            assertThat(sh(s, "ls " + directory)).isEqualTo("container\nistio");
            assertThat(s.step("read_metrics(\"" + directory + "\")").observation())
                .isEqualTo("Failed to read metrics: [Errno 21] Is a directory: '" + directory + "'");
            assertThat(s.step("read_metrics(\"/nope.csv\")").observation()).isEqualTo("error: Metrics file '/nope.csv' not found.");
        }
    }

    // AIOpsLab: aiopslab/observer/trace_api.py process_traces (columns; parent_span ROOT; has_error from the error
    // tag; response from http.status_code) and inject_symp.py (a 10 s delay in front of the user service)
    @Test
    void tracesHaveAiopsLabsColumnsAndTheDelayShowsInTheCallersSpans() {
        try (EnvironmentSession s = start("network_delay_hotel_res-detection-1", 5)) {
            String answer = s.step("get_traces(\"" + HR + "\", 5)").observation();
            assertThat(answer).startsWith("Traces data exported to: /home/aiopslab/trace_output/traces_");
            String csv = sh(s, "cat " + answer.substring("Traces data exported to: ".length()));
            assertThat(csv.lines().findFirst().orElseThrow())
                .isEqualTo("trace_id,span_id,parent_span,service_name,operation_name,start_time,duration,has_error,response");
            List<String[]> spans = csv.lines().skip(1).map(l -> l.split(",")).toList();
            assertThat(spans).isNotEmpty().noneMatch(f -> f[3].startsWith("mongodb") || f[3].startsWith("memcached"));
            assertThat(spans).anyMatch(f -> f[3].equals("frontend") && Long.parseLong(f[6]) >= 10_000_000);
            assertThat(spans).filteredOn(f -> f[3].equals("user")).allMatch(f -> Long.parseLong(f[6]) < 10_000_000);
        }
    }

    // AIOpsLab: aiopslab/orchestrator/actions/base.py read_metrics / read_traces (pandas to_string(index=False));
    // the expected text is what pandas 3.0.6 prints for this CSV
    @Test
    void tablesPrintAsPandasPrintsThem() {
        String csv = "timestamp,cmdb_id,kpi_name,value\n1736154000,kind-worker.geo-abc,container_cpu_usage_seconds_total,12.5\n"
                + "1736154015,kind-worker2.frontend-xyz-12,container_cpu_usage_seconds_total,0.001\n";
        assertThat(PandasTable.render(csv)).isEqualTo(" timestamp                      cmdb_id                          kpi_name  value\n"
                + "1736154000          kind-worker.geo-abc container_cpu_usage_seconds_total 12.500\n"
                + "1736154015 kind-worker2.frontend-xyz-12 container_cpu_usage_seconds_total  0.001");
        assertThat(PandasTable.render("a,b,c\nTrue,ROOT,Unknown\nFalse,abc,200\n"))
            .isEqualTo("    a    b       c\n True ROOT Unknown\nFalse  abc     200");
        assertThat(PandasTable.render("v\n1073741824.0\n1.0\n")).isEqualTo("           v\n1073741824.0\n         1.0");
        assertThat(PandasTable.render("a,b,c\n")).isEqualTo("Empty DataFrame\nColumns: [a, b, c]\nIndex: []");
    }

    // AIOpsLab: aiopslab/orchestrator/actions/base.py get_logs (kubectl.get_pod_logs of the first pod, no tail)
    @Test
    void getLogsIsTheWholeLogOfTheFirstMatchingPod() {
        try (EnvironmentSession s = start("noop_detection_hotel_reservation-1", 5)) {
            String pod = SimTestSupport.pod(s, HR, "frontend");
            String tail = sh(s, "kubectl logs " + pod + " -n " + HR + " --tail 5");
            String logs = s.step("get_logs(\"" + HR + "\", \"frontend\")").observation();
            assertThat(logs.lines().count()).as("no tail is applied").isGreaterThan(tail.lines().count());
            assertThat(logs).doesNotContain("Error").contains("\"level\":\"info\"");
            assertThat(s.step("get_logs(\"" + HR + "\", \"nope\")").observation())
                .isEqualTo("Error: Your service/namespace does not exist. Use kubectl to check.");
        }
    }
}
