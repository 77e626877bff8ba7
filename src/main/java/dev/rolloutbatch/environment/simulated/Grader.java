package dev.rolloutbatch.environment.simulated;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.environment.Evaluation;

/**
 * Grades an episode twice: by AIOpsLab's rules ({@link AiopslabGrading}) and by the project's reward.
 * <p>
 * The reward follows AIOpsLab's answer rules (exact, case-sensitive service names with the MongoDB aliases;
 * case-insensitive yes/no and analysis fields) but not its known bugs: a mitigation counts only when AIOpsLab's
 * check passes and, beyond it, the injected fault is really gone and the whole application is ready (AIOpsLab
 * passes several families when nothing was done); a dict is no localization answer; a keyword-only or otherwise
 * malformed submission is a format error rather than an empty answer. Reward = sum of the components:
 * <ul>
 * <li>{@code outcome}: the {@code success} weight when solved, else 0;</li>
 * <li>{@code partial_credit}: when not solved, the {@code partial} weight × 1/len(answer) when a localization
 * answer names the faulty service among others, × 0.5 when one analysis field is right, × 1 when a mitigation
 * fixed the cluster but was never submitted;</li>
 * <li>{@code invalid_format}: minus the {@code invalidFormat} weight when no answer was accepted or it is
 * malformed;</li>
 * <li>{@code step_cost}: minus the {@code stepCost} weight per action the environment received.</li>
 * </ul>
 */
final class Grader {

    /**
     * What the agent submitted, in both readings.
     *
     * @param aiopslabSolution what AIOpsLab grades (see {@link AiopslabGrading#grade}); null when submit was never
     *                         called
     * @param accepted         the submit call that ended the episode, or null
     */
    record Submission(Object aiopslabSolution, PyCall accepted, String acceptedText) {
    }

    private Grader() {
    }

    static Evaluation grade(Problem problem, Cluster cluster, Submission submission, int steps, long elapsedMillis,
            RewardProperties weights) {
        AiopslabGrading.Outcome aiopslab = AiopslabGrading.grade(problem, cluster, submission.aiopslabSolution(), steps,
                elapsedMillis / 1000.0);
        Verdict verdict = verdict(problem, cluster, submission, aiopslab.success());
        Map<String, Object> components = components(verdict, steps, weights);
        double value = components.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
        return new Evaluation(aiopslab.results(), verdict.success(), value, aiopslab.success(), components,
                submission.acceptedText(), steps, 0);
    }

    /** The project's reading of the episode: solved, partial credit in [0, 1], malformed or missing answer. */
    record Verdict(boolean success, double partial, boolean invalid) {
    }

    /**
     * @param aiopslabSuccess AIOpsLab's verdict; a mitigation must also pass it, so that the reward never teaches
     *                        a fix AIOpsLab rejects (e.g. two replicas where its eval() wants exactly one)
     */
    static Verdict verdict(Problem problem, Cluster cluster, Submission submission, boolean aiopslabSuccess) {
        PyCall call = submission.accepted();
        if (problem.taskType() == dev.rolloutbatch.catalog.TaskType.MITIGATION) {
            cluster.reconcile();
            boolean fixed = aiopslabSuccess && cluster.fault.mitigated(cluster) && cluster.allReady();
            return new Verdict(fixed && call != null, fixed && call == null ? 1.0 : 0.0, call == null);
        }
        if (call == null || call.args().size() != 1 || !call.kwargs().isEmpty()) {
            return new Verdict(false, 0, true);
        }
        Object answer = call.args().getFirst();
        return switch (problem.taskType()) {
            case DETECTION -> {
                String text = answer instanceof String s ? s.strip().toLowerCase(Locale.ROOT) : "";
                yield text.equals("yes") || text.equals("no")
                        ? new Verdict(text.equalsIgnoreCase(problem.expectedDetection()), 0, false)
                        : new Verdict(false, 0, true);
            }
            case LOCALIZATION -> {
                List<?> items = answer instanceof List<?> list ? list : answer instanceof String s ? List.of(s) : null;
                if (items == null || items.stream().anyMatch(i -> !(i instanceof String))) {
                    yield new Verdict(false, 0, true);
                }
                List<String> targets = AiopslabGrading.localizationTargets(problem);
                boolean named = items.stream().anyMatch(targets::contains);
                yield new Verdict(named && items.size() == 1, named ? 1.0 / items.size() : 0, false);
            }
            case ANALYSIS -> {
                if (!(answer instanceof Map<?, ?> map) || !(map.get("system_level") instanceof String level)
                        || !(map.get("fault_type") instanceof String type)) {
                    yield new Verdict(false, 0, true);
                }
                boolean levelRight = same(level, problem.systemLevel());
                boolean typeRight = same(type, problem.faultType());
                yield new Verdict(levelRight && typeRight, levelRight ^ typeRight ? 0.5 : 0, false);
            }
            case MITIGATION -> throw new IllegalStateException("handled above");
        };
    }

    static Map<String, Object> components(Verdict verdict, int steps, RewardProperties w) {
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("outcome", verdict.success() ? w.success() : 0.0);
        components.put("partial_credit", verdict.success() ? 0.0 : w.partial() * verdict.partial());
        components.put("invalid_format", verdict.invalid() ? -w.invalidFormat() : 0.0);
        components.put("step_cost", steps == 0 || w.stepCost() == 0 ? 0.0 : -w.stepCost() * steps);
        return components;
    }

    private static boolean same(String given, String expected) {
        return expected != null && given.strip().equalsIgnoreCase(expected.strip());
    }
}
