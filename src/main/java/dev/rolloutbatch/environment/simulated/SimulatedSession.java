package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.TaskType;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.environment.StepResult;
import dev.rolloutbatch.environment.TaskBrief;

/** One simulated problem instance: parses each action, answers it from the modelled cluster, grades the end state. */
final class SimulatedSession implements EnvironmentSession {

    private static final long SECONDS_PER_STEP = 20;

    private final Problem problem;
    private final Cluster cluster;
    private final TaskBrief brief;
    private final Telemetry telemetry;
    private final Shell shell;
    private final RewardProperties weights;
    private final Map<String, String> files = new LinkedHashMap<>();
    private final String sessionTag;
    private final long startedNanos = System.nanoTime();
    private List<Object> submission;
    private long submittedNanos;
    private int steps;
    private boolean closed;

    SimulatedSession(Problem problem, Cluster cluster, TaskBrief brief, RewardProperties weights) {
        this.problem = problem;
        this.cluster = cluster;
        this.brief = brief;
        this.weights = weights;
        this.telemetry = new Telemetry(cluster);
        this.shell = new Shell(cluster, telemetry, files);
        this.sessionTag = cluster.randomName(8);
    }

    @Override
    public TaskBrief brief() {
        return brief;
    }

    @Override
    public StepResult step(String action) {
        if (closed) {
            return new StepResult("Error: the session is closed.", false);
        }
        if (submission != null) {
            return new StepResult("Error: a solution was already submitted; the episode is over.", true);
        }
        steps++;
        cluster.now += SECONDS_PER_STEP;
        PyCall call;
        try {
            call = PyCallParser.parse(stripFence(action));
        }
        catch (PyCallParser.SyntaxError ex) {
            return new StepResult("Error parsing your action: " + ex.getMessage() + ". Respond with exactly one API call, "
                    + "e.g. exec_shell(\"kubectl get pods -n " + problem.namespace() + "\").", false);
        }
        return switch (call.name()) {
            case "get_logs" -> text(getLogs(call));
            case "get_metrics" -> text(export(call, "metrics"));
            case "get_traces" -> text(export(call, "traces"));
            case "read_metrics", "read_traces" -> text(read(call));
            case "exec_shell" -> text(exec(call));
            case "submit" -> submit(call);
            default -> text("Error: unknown API '" + call.name() + "'. Available APIs: "
                    + String.join(", ", brief.actions().stream().map(a -> a.name()).toList()) + ".");
        };
    }

    private static String stripFence(String action) {
        String s = action == null ? "" : action.strip();
        if (s.startsWith("```")) {
            s = s.substring(3).strip();
            if (s.endsWith("```")) {
                s = s.substring(0, s.length() - 3).strip();
            }
        }
        return s;
    }

    private static StepResult text(String observation) {
        return new StepResult(observation, false);
    }

    private String arity(PyCall call, int min, int max, String signature) {
        if (call.arity() < min || call.arity() > max) {
            return "Error: TypeError: " + signature + " takes " + (min == max ? min : min + " to " + max)
                    + " argument(s) but " + call.arity() + " were given";
        }
        return null;
    }

    private String getLogs(PyCall call) {
        String error = arity(call, 2, 2, "get_logs(namespace, service)");
        if (error != null) {
            return error;
        }
        if (!(call.arg(0, "namespace") instanceof String ns) || !(call.arg(1, "service") instanceof String service)) {
            return "Error: TypeError: namespace and service must be strings";
        }
        return telemetry.getLogs(ns, service);
    }

    private String export(PyCall call, String kind) {
        String error = arity(call, 1, 2, "get_" + kind + "(namespace, duration)");
        if (error != null) {
            return error;
        }
        if (!(call.arg(0, "namespace") instanceof String ns)) {
            return "Error: TypeError: namespace must be a string";
        }
        Object durationArg = call.arg(1, "duration");
        if (durationArg != null && !(durationArg instanceof Number)) {
            return "Error: TypeError: duration must be an integer number of minutes";
        }
        int duration = durationArg == null ? 5 : Math.max(1, ((Number) durationArg).intValue());
        return kind.equals("metrics") ? PrometheusExport.export(cluster, telemetry, ns, duration, files)
                : JaegerExport.export(cluster, ns, duration, files);
    }

    private String read(PyCall call) {
        String error = arity(call, 1, 1, call.name() + "(file_path)");
        if (error != null) {
            return error;
        }
        if (!(call.arg(0, "file_path") instanceof String path)) {
            return "Error: TypeError: file_path must be a string";
        }
        return Telemetry.read(call.name().equals("read_metrics") ? "metrics" : "traces", path, files);
    }

    private String exec(PyCall call) {
        String error = arity(call, 1, 1, "exec_shell(command)");
        if (error != null) {
            return error;
        }
        if (!(call.arg(0, "command") instanceof String command)) {
            return "Error: TypeError: command must be a string";
        }
        String output = shell.run(command);
        return output.isEmpty() ? "" : output;
    }

    private StepResult submit(PyCall call) {
        List<Object> args = new ArrayList<>(call.args());
        args.addAll(call.kwargs().values());
        if (problem.taskType() != TaskType.MITIGATION && args.size() != 1) {
            return text("Error: TypeError: submit() takes exactly 1 argument (" + args.size() + " given). "
                    + brief.actions().getLast().description().lines().findFirst().orElse(""));
        }
        submission = args;
        submittedNanos = System.nanoTime();
        return new StepResult("Your solution has been submitted for evaluation.", true);
    }

    @Override
    public Evaluation evaluate() {
        long end = submission == null ? System.nanoTime() : submittedNanos;
        return Grader.grade(problem, cluster, submission, steps, (end - startedNanos) / 1_000_000, weights);
    }

    @Override
    public void close() {
        closed = true;
    }
}
