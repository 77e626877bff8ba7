package dev.rolloutbatch.agent.openai;

import java.util.Map;
import java.util.Set;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.environment.Environment;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.environment.StepResult;
import dev.rolloutbatch.environment.TaskBrief;

/**
 * A test-only environment ({@code fixed-test}): every action but {@code submit} observes the same log line; a
 * {@code submit("Yes")} is graded correct. Stands in for {@code simulated} until that environment is merged.
 */
class FixedTestEnvironment implements Environment {

    static final String NAME = "fixed-test";

    static final String OBSERVATION = "user-service: dial tcp 10.0.0.7:9090: connect: connection refused";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EnvironmentSession start(Problem problem, long seed) {
        return new Session();
    }

    @Override
    public Set<String> servedProblemIds() {
        return Set.of(OpenAiTestSupport.PROBLEM.id());
    }

    private static final class Session implements EnvironmentSession {

        private String submitted;

        @Override
        public TaskBrief brief() {
            return OpenAiTestSupport.BRIEF;
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
