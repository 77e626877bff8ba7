package dev.rolloutbatch.environment;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;

/**
 * A test-only environment ({@code fixed-test}), not a model of anything: every action but {@code submit} observes
 * {@link #OBSERVATION}, and {@code submit("Yes")} is graded correct. For tests of the episode loop, the policies
 * and the API that need an environment whose answers they can predict exactly; the {@code simulated} twin is
 * tested on its own.
 */
public final class FixedTestEnvironment implements AgentEnvironment {

    public static final String NAME = "fixed-test";

    public static final String OBSERVATION = "user-service: dial tcp 10.0.0.7:9090: connect: connection refused";

    public static final TaskBrief BRIEF = new TaskBrief(
            "You are an expert DevOps engineer. Detect whether there are anomalies.",
            "Respond with exactly one API call in a code block.",
            List.of(new ActionSpec("get_logs", "Collects relevant log data from a pod using Kubectl.", List.of(
                    new ActionSpec.Parameter("namespace", "string", "The namespace of the service.", true),
                    new ActionSpec.Parameter("service", "string", "The name of the service.", true))),
                    new ActionSpec("submit", "Submit the solution.",
                            List.of(new ActionSpec.Parameter("answer", "", "The answer.", true)))));

    private static final Set<String> ALL = Set.copyOf(new ProblemCatalog().problems().stream().map(Problem::id)
        .toList());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> servedProblemIds() {
        return ALL;
    }

    @Override
    public EnvironmentSession start(Problem problem, long seed) {
        return new Session();
    }

    private static final class Session implements EnvironmentSession {

        private String submitted;

        @Override
        public TaskBrief brief() {
            return BRIEF;
        }

        @Override
        public StepResult step(String action) {
            if (action.startsWith("submit(")) {
                submitted = action;
                return new StepResult("Submitted.", true);
            }
            return new StepResult(OBSERVATION, false);
        }

        @Override
        public Evaluation evaluate() {
            boolean correct = "submit(\"Yes\")".equals(submitted);
            return new Evaluation(Map.of("Detection Accuracy", correct ? "Correct" : "Incorrect"), correct,
                    correct ? 1.0 : 0.0);
        }

        @Override
        public void close() {
        }
    }
}
