package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.environment.StepResult;

import static org.assertj.core.api.Assertions.assertThat;

/** Every catalog problem starts, answers each of the seven actions sensibly, and grades; the same seed replays. */
class SimulatedAllProblemsTests {

    static Stream<Problem> problems() {
        return SimTestSupport.CATALOG.problems().stream();
    }

    @Test
    void servesAllEightyNineProblems() {
        assertThat(SimTestSupport.ENV.servedProblemIds()).hasSize(89);
        assertThat(SimTestSupport.ENV.name()).isEqualTo("simulated");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void answersEveryActionAndGrades(Problem problem) {
        List<String> observations = play(problem, 3);
        String ns = problem.namespace();
        // AIOpsLab: aiopslab/orchestrator/actions/base.py get_logs: a service without a readable pod is an error
        // sentence; the pause image Chaos Mesh's pod-failure runs logs nothing
        switch (problem.faultFamily()) {
            case "scale_pod_zero_social_net", "assign_to_non_existent_node_social_net" ->
                assertThat(observations.get(0)).as("get_logs").isEqualTo("Error: Your service/namespace does not exist. Use kubectl to check.");
            case "pod_failure_hotel_res", "pod_kill_hotel_res" -> assertThat(observations.get(0)).as("get_logs").isEmpty();
            default -> assertThat(observations.get(0)).as("get_logs").doesNotContain("does not exist").isNotBlank();
        }
        // AIOpsLab: aiopslab/observer/metric_api.py export_all_metrics and aiopslab/observer/trace_api.py save_traces
        assertThat(observations.get(1)).as("get_metrics answer")
            .startsWith("Metrics data exported to directory: /home/aiopslab/metrics_output/metric_")
            .contains("\n\nFolder structure of exported metrics:\nmetric_").endsWith("    istio/\n");
        assertThat(observations.get(3)).as("get_traces answer").startsWith("Traces data exported to: /home/aiopslab/trace_output/traces_")
            .endsWith(".csv");
        if (problem.deployment().equals("docker")) {
            assertThat(observations.get(1)).as("no pods in namespace docker: no metric files").contains("    container/\n    istio/\n");
            assertThat(observations.get(2)).as("read_metrics").startsWith("error: Metrics file '").endsWith("' not found.");
            assertThat(observations.get(4)).as("read_traces").startsWith("Empty DataFrame\nColumns: [trace_id, span_id, parent_span,");
        }
        else {
            assertThat(observations.get(1)).contains("        kpi_container_cpu_usage_seconds_total.csv\n")
                .doesNotContain("error_rate").doesNotContain("latency");
            assertThat(observations.get(2)).as("read_metrics").startsWith(" timestamp").contains(" cmdb_id ")
                .contains(" kpi_name ").contains(" kubernetes.default.svc:443.").contains(" container_cpu_usage_seconds_total ");
            assertThat(observations.get(4)).as("read_traces").contains("trace_id").contains("parent_span").contains(" ROOT ")
                .contains("has_error").contains("response");
        }
        if (problem.deployment().equals("docker")) {
            assertThat(observations.get(5)).as("docker ps").contains("superlink").contains("NAMES");
        }
        else {
            assertThat(observations.get(5)).as("kubectl get pods").startsWith("NAME").contains("Running");
        }
        assertThat(observations.get(6)).as("submit").contains("submitted");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void sameSeedSameObservationsOtherSeedDiffers(Problem problem) {
        assertThat(play(problem, 42)).isEqualTo(play(problem, 42));
        assertThat(play(problem, 43)).isNotEqualTo(play(problem, 42));
    }

    static List<String> play(Problem problem, long seed) {
        String ns = problem.namespace();
        String service = problem.faultyService().isEmpty()
                ? SimTestSupport.CATALOG.application(problem.application()).services().getFirst() : problem.faultyService();
        List<String> observations = new ArrayList<>();
        try (EnvironmentSession session = SimTestSupport.ENV.start(problem, seed)) {
            assertThat(session.brief().actions()).extracting(a -> a.name()).containsExactly("get_logs", "get_metrics",
                    "read_metrics", "get_traces", "read_traces", "exec_shell", "submit");
            assertThat(session.brief().taskDescription()).contains(ns);
            observations.add(session.step("get_logs(\"" + ns + "\", \"" + service + "\")").observation());
            String metrics = session.step("get_metrics(\"" + ns + "\", 5)").observation();
            observations.add(metrics);
            String directory = metrics.lines().findFirst().orElseThrow().substring("Metrics data exported to directory: ".length());
            observations.add(session.step("read_metrics(\"" + directory + "/container/kpi_container_cpu_usage_seconds_total.csv\")")
                .observation());
            String traces = session.step("get_traces(namespace=\"" + ns + "\", duration=5)").observation();
            observations.add(traces);
            observations.add(session.step("read_traces('" + traces.substring("Traces data exported to: ".length()) + "')")
                .observation());
            observations.add(session.step(problem.deployment().equals("docker") ? "exec_shell(\"docker ps -a\")"
                    : "exec_shell(\"kubectl get pods -n " + ns + " -o wide\")").observation());
            String submit = switch (problem.taskType()) {
                case DETECTION -> "submit(\"Yes\")";
                case LOCALIZATION -> "submit([\"" + service + "\"])";
                case ANALYSIS -> "submit({\"system_level\": \"Application\", \"fault_type\": \"Misconfiguration\"})";
                case MITIGATION -> "submit()";
            };
            StepResult done = session.step(submit);
            assertThat(done.done()).isTrue();
            observations.add(done.observation());
            Evaluation evaluation = session.evaluate();
            assertThat(evaluation.results()).containsKey("steps");
            assertThat(evaluation.results().get("steps")).isEqualTo(7);
            observations.add(String.valueOf(evaluation.success()));
        }
        return observations;
    }
}
