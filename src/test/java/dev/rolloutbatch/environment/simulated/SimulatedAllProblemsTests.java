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
        assertThat(observations.get(0)).as("get_logs").doesNotContain("does not exist").isNotBlank();
        assertThat(observations.get(1)).as("get_metrics path").startsWith("/tmp/aiopslab/").endsWith(".csv");
        assertThat(observations.get(2)).as("read_metrics").startsWith("timestamp,service,pod,cpu_millicores");
        assertThat(observations.get(3)).as("get_traces path").contains("traces_" + ns);
        assertThat(observations.get(4)).as("read_traces").startsWith("trace_id,span_id").contains(",OK,");
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
            observations.add(session.step("read_metrics(\"" + metrics + "\")").observation());
            String traces = session.step("get_traces(namespace=\"" + ns + "\", duration=5)").observation();
            observations.add(traces);
            observations.add(session.step("read_traces('" + traces + "')").observation());
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
