package dev.rolloutbatch.environment.simulated;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.environment.ActionSpec;
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
    /** AIOpsLab's {@code session.solution}: set by every submit call, even one its signature rejects. */
    private Object aiopslabSolution;
    /** The submit call that ended the episode, and its text; null until one fits submit's signature. */
    private PyCall accepted;
    private String acceptedText;
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
        if (accepted != null) {
            return new StepResult("Error: a solution was already submitted; the episode is over.", true);
        }
        steps++;
        cluster.now += SECONDS_PER_STEP;
        PyCall call;
        try {
            call = ActionParser.parse(stripFence(action));
        }
        catch (ActionParser.Rejected ex) {
            return text(ex.getMessage());
        }
        return switch (call.name()) {
            case "get_logs" -> text(getLogs(call));
            case "get_metrics" -> text(export(call, "metrics"));
            case "get_traces" -> text(export(call, "traces"));
            case "read_metrics", "read_traces" -> text(read(call));
            case "exec_shell" -> text(exec(call));
            case "submit" -> submit(call, action);
            default -> text("Error: '" + call.name() + "' is not an action of this task. The actions are: "
                    + String.join(", ", brief.actions().stream().map(a -> a.name()).toList()) + ".");
        };
    }

    /** A bare call, or a call inside one fenced block (what an HTTP client may send). */
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

    private @Nullable String arity(PyCall call, int min, int max, String signature) {
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

    /**
     * AIOpsLab keeps the submitted answer before it checks the call against submit's signature, and keeps it when
     * that check fails (AIOpsLab: orchestrator.py {@code ask_env}); only a call that fits the signature ends the
     * episode (actions/*.py {@code submit}).
     */
    private StepResult submit(PyCall call, String action) {
        aiopslabSolution = call.args().size() == 1 ? call.args().getFirst() : List.copyOf(call.args());
        String problemWithCall = submitSignatureError(call);
        if (problemWithCall != null) {
            return text(problemWithCall);
        }
        accepted = call;
        acceptedText = stripFence(action);
        submittedNanos = System.nanoTime();
        return new StepResult("Your solution has been submitted for evaluation.", true);
    }

    /** Python's binding of the call to {@code submit(<parameter>)}, or {@code submit()} for mitigation. */
    private @Nullable String submitSignatureError(PyCall call) {
        List<ActionSpec.Parameter> parameters = brief.actions().getLast().parameters();
        if (parameters.isEmpty()) {
            return call.arity() == 0 ? null : "Error: submit() takes no arguments for this task, but it was called with "
                    + call.arity() + ". Call submit() once the mitigation is done.";
        }
        String name = parameters.getFirst().name();
        boolean positional = call.args().size() == 1 && call.kwargs().isEmpty();
        boolean keyword = call.args().isEmpty() && call.kwargs().size() == 1 && call.kwargs().containsKey(name);
        if (positional || keyword) {
            return null;
        }
        return "Error: submit() takes exactly one argument (" + name + "), but it was called with "
                + call.args().size() + " positional and " + call.kwargs().size() + " keyword argument(s).";
    }

    @Override
    public Evaluation evaluate() {
        long end = accepted == null ? System.nanoTime() : submittedNanos;
        Grader.Submission submission = new Grader.Submission(aiopslabSolution, accepted, acceptedText);
        return Grader.grade(problem, cluster, submission, steps, (end - startedNanos) / 1_000_000, weights);
    }

    @Override
    public void close() {
        closed = true;
    }
}
