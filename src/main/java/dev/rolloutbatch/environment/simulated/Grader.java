package dev.rolloutbatch.environment.simulated;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.environment.Evaluation;

/**
 * Grades a submission exactly as AIOpsLab's tasks do, and turns the grade into a numeric reward.
 * <p>
 * Reward = {@code success} weight when the task is solved; otherwise {@code partial} × partial credit, where
 * partial credit is the localization accuracy / 100 when the answer names the faulty service among others, or 0.5
 * when one of the two analysis fields is right (0 for detection and mitigation); minus {@code invalidFormat} when
 * the answer is malformed or missing; minus {@code stepCost} × steps in every case.
 */
final class Grader {

    private Grader() {
    }

    /**
     * @param submission the arguments of the submit call, or null when the agent never submitted
     */
    static Evaluation grade(Problem problem, Cluster cluster, List<Object> submission, int steps, long elapsedMillis,
            RewardProperties weights) {
        Map<String, Object> results = new LinkedHashMap<>();
        boolean success;
        boolean invalid = submission == null;
        double partial = 0;
        Object answer = submission == null || submission.isEmpty() ? null : submission.getFirst();
        switch (problem.taskType()) {
            case DETECTION -> {
                String text = answer instanceof String s ? s.strip().toLowerCase(Locale.ROOT) : null;
                if (text == null || !(text.equals("yes") || text.equals("no"))) {
                    results.put("Detection Accuracy", "Invalid Format");
                    invalid = true;
                    success = false;
                }
                else {
                    success = text.equalsIgnoreCase(problem.expectedDetection());
                    results.put("Detection Accuracy", success ? "Correct" : "Incorrect");
                }
            }
            case LOCALIZATION -> {
                List<?> items = answer instanceof List<?> list ? list : answer instanceof String s ? List.of(s) : null;
                if (items == null) {
                    invalid = true;
                    items = List.of();
                }
                String faulty = problem.faultyService();
                boolean subset = items.stream().anyMatch(i -> i instanceof String s && s.strip().equalsIgnoreCase(faulty));
                boolean exact = subset && items.size() == 1;
                double accuracy = exact ? 100.0 : subset ? 100.0 / items.size() : 0.0;
                results.put("Localization Accuracy", accuracy);
                success = exact;
                results.put("success", success);
                results.put("is_subset", subset);
                partial = subset ? accuracy / 100.0 : 0;
            }
            case ANALYSIS -> {
                Map<?, ?> map = answer instanceof Map<?, ?> m ? m : null;
                if (map == null) {
                    invalid = true;
                }
                boolean level = map != null && matches(map.get("system_level"), problem.systemLevel());
                boolean type = map != null && matches(map.get("fault_type"), problem.faultType());
                results.put("system_level_correct", level);
                results.put("fault_type_correct", type);
                success = level && type;
                results.put("success", success);
                partial = level ^ type ? 0.5 : 0;
            }
            case MITIGATION -> {
                cluster.reconcile();
                success = submission != null && cluster.fault.mitigated(cluster) && cluster.allReady();
                results.put("success", success);
            }
            default -> throw new IllegalStateException();
        }
        if (submission == null) {
            results.put("error", "no submission");
        }
        results.put("steps", steps);
        results.put(switch (problem.taskType()) {
            case DETECTION -> "TTD";
            case LOCALIZATION -> "TTL";
            case ANALYSIS -> "TTA";
            case MITIGATION -> "TTM";
        }, elapsedMillis / 1000.0);
        return new Evaluation(results, success, reward(success, partial, invalid, steps, weights));
    }

    static double reward(boolean success, double partial, boolean invalid, int steps, RewardProperties w) {
        double reward = success ? w.success() : w.partial() * partial;
        if (invalid) {
            reward -= w.invalidFormat();
        }
        return reward - w.stepCost() * steps;
    }

    private static boolean matches(Object given, String expected) {
        return given instanceof String s && expected != null && s.strip().equalsIgnoreCase(expected.strip());
    }
}
