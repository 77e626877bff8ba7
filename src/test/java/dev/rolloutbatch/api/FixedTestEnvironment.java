package dev.rolloutbatch.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.environment.ActionSpec;
import dev.rolloutbatch.environment.Environment;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.environment.StepResult;
import dev.rolloutbatch.environment.TaskBrief;

/**
 * Test-only environment {@code fixed-test}: every problem answers {@code get_logs} with a fixed line and is solved
 * by any {@code submit(...)}. Stands in for {@code simulated} until that environment is merged.
 */
class FixedTestEnvironment implements Environment {

    static final String NAME = "fixed-test";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EnvironmentSession start(Problem problem, long seed) {
        return new EnvironmentSession() {

            private boolean submitted;

            @Override
            public TaskBrief brief() {
                return new TaskBrief("Solve " + problem.id(), "Answer with one API call in a code block.",
                        List.of(new ActionSpec("get_logs", "logs of a service", List.of()),
                                new ActionSpec("submit", "submit the answer", List.of())));
            }

            @Override
            public StepResult step(String action) {
                if (action.startsWith("submit(")) {
                    submitted = true;
                    return new StepResult("Submitted.", true);
                }
                return new StepResult("2026-01-01T00:00:00Z ERROR " + problem.faultyService() + " failed", false);
            }

            @Override
            public Evaluation evaluate() {
                return new Evaluation(Map.of("submitted", submitted), submitted, submitted ? 1.0 : 0.0);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Set<String> servedProblemIds() {
        return Set.of();
    }
}
