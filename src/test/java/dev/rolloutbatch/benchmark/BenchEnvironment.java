package dev.rolloutbatch.benchmark;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.environment.ActionSpec;
import dev.rolloutbatch.environment.AgentEnvironment;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.environment.StepResult;
import dev.rolloutbatch.environment.TaskBrief;

/**
 * The benchmark's environment ({@code bench}): serves every catalog problem, answers every action but
 * {@code submit} with the same {@code kubectl get pods} table, and grades any submission a success. It costs next to
 * nothing, so the benchmark measures the runner (dispatch, LLM client, logging), not a cluster model.
 * Not a Spring component (scanning would put it into every test context): {@link BenchmarkApplication} adds it.
 */
class BenchEnvironment implements AgentEnvironment {

    static final String NAME = "bench";

    static final String PODS = """
            NAME                            READY   STATUS    RESTARTS   AGE
            compose-post-service-7b8f9c6d   1/1     Running   0          12m
            user-service-5d9f8b7c4-x2k8p    1/1     Running   0          12m
            social-graph-service-6c7d8e9f   1/1     Running   0          12m""";

    private static final TaskBrief BRIEF = new TaskBrief(
            "You are an expert DevOps engineer. Find out whether the service is healthy.",
            "Respond with exactly one API call in a markdown code block.",
            List.of(new ActionSpec("exec_shell", "Run a shell command.",
                    List.of(new ActionSpec.Parameter("command", "string", "The command.", true))),
                    new ActionSpec("submit", "Submit the solution.",
                            List.of(new ActionSpec.Parameter("answer", "", "The answer.", true)))));

    private final Set<String> served;

    BenchEnvironment(ProblemCatalog catalog) {
        this.served = catalog.problems().stream().map(Problem::id).collect(Collectors.toUnmodifiableSet());
    }

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
        return served;
    }

    private static final class Session implements EnvironmentSession {

        @Override
        public TaskBrief brief() {
            return BRIEF;
        }

        @Override
        public StepResult step(String action) {
            return action.startsWith("submit(") ? new StepResult("Submitted.", true) : new StepResult(PODS, false);
        }

        @Override
        public Evaluation evaluate() {
            return new Evaluation(Map.of("Detection Accuracy", "Correct"), true, 1.0);
        }

        @Override
        public void close() {
        }
    }
}
