package dev.rolloutbatch.environment.simulated;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.rolloutbatch.catalog.Problem;

/**
 * AIOpsLab's own grading, rule for rule, quirks included, so that success rates compare with published AIOpsLab
 * numbers. Each rule cites the {@code eval()} it reproduces. The project's reward is {@link Grader}'s business.
 * <p>
 * Where AIOpsLab's {@code eval()} raises (e.g. a pod with no container statuses, an unhashable list item), the
 * real orchestrator stops without results; here the episode fails this grading with an {@code eval_error} field.
 * AIOpsLab's {@code in_tokens}/{@code out_tokens} fields are left out: the episode's LLM calls carry exact usage.
 */
final class AiopslabGrading {

    /** AIOpsLab's result fields and the success they amount to. */
    record Outcome(Map<String, Object> results, boolean success) {
    }

    /** An {@code eval()} that would raise in AIOpsLab. */
    private static final class EvalError extends RuntimeException {
        EvalError(String message) {
            super(message, null, false, false);
        }
    }

    private AiopslabGrading() {
    }

    /**
     * @param solution AIOpsLab's {@code session.solution}: the only positional argument of the last submit call,
     *                 or the list of its positional arguments when there were not exactly one (keyword arguments
     *                 are dropped), or null when submit was never called (AIOpsLab: orchestrator.py,
     *                 {@code ask_env})
     * @param steps    assistant turns (AIOpsLab: evaluators/quantitative.py, {@code num_steps_taken})
     */
    static Outcome grade(Problem problem, Cluster cluster, Object solution, int steps, double seconds) {
        Map<String, Object> results = new LinkedHashMap<>();
        try {
            return switch (problem.taskType()) {
                case DETECTION -> detection(problem, solution, results, steps, seconds);
                case LOCALIZATION -> localization(problem, solution, results, steps, seconds);
                case ANALYSIS -> analysis(problem, solution, results, steps, seconds);
                case MITIGATION -> mitigation(problem, cluster, results, steps, seconds);
            };
        }
        catch (EvalError ex) {
            results.put("success", false);
            results.put("eval_error", ex.getMessage());
            return new Outcome(results, false);
        }
    }

    /** AIOpsLab: tasks/*.py {@code eval()} then tasks/base.py {@code common_eval()}: time, then steps. */
    private static void common(Map<String, Object> results, String timeKey, int steps, double seconds) {
        results.put(timeKey, seconds);
        results.put("steps", steps);
    }

    /**
     * AIOpsLab: problems/*&#47;*.py detection {@code eval()} (e.g. problems/k8s_target_port_misconfig/target_port.py,
     * problems/no_op/no_op.py): a string compared stripped and case-insensitively with "Yes" ("No" for no-op
     * problems) is Correct, any other string Incorrect, anything else Invalid Format.
     */
    private static Outcome detection(Problem problem, Object solution, Map<String, Object> results, int steps,
            double seconds) {
        String accuracy;
        if (solution instanceof String answer) {
            accuracy = lower(answer.strip()).equals(lower(problem.expectedDetection())) ? "Correct" : "Incorrect";
        }
        else {
            accuracy = "Invalid Format";
        }
        results.put("Detection Accuracy", accuracy);
        common(results, "TTD", steps, seconds);
        return new Outcome(results, accuracy.equals("Correct"));
    }

    /**
     * AIOpsLab: problems/*&#47;*.py localization {@code eval()} with evaluators/quantitative.py
     * {@code is_exact_match} and {@code is_subset}: exact, case-sensitive comparison of the answer with
     * {@code [faulty]} (a bare string counts as a one-item list); subset by Python {@code set()} of the answer
     * (so a dict answer is judged by its keys, a string by its characters); accuracy 100 when exact, 100/len when
     * the faulty service is among several, else 0; success when exact or the only item. The MongoDB revoke-auth
     * and user-unregistered problems also accept the name without "mongodb-" (problems/revoke_auth/revoke_auth.py,
     * problems/storage_user_unregistered/storage_user_unregistered.py).
     */
    private static Outcome localization(Problem problem, Object solution, Map<String, Object> results, int steps,
            double seconds) {
        if (solution == null) {
            results.put("Localization Accuracy", 0.0);
            results.put("success", false);
            results.put("is_subset", false);
            common(results, "TTL", steps, seconds);
            return new Outcome(results, false);
        }
        List<String> targets = localizationTargets(problem);
        boolean exact = targets.stream().anyMatch(t -> exactMatch(solution, t));
        Set<Object> answerSet = pythonSet(solution);
        boolean subset = targets.stream().anyMatch(answerSet::contains);
        double accuracy = exact ? 100.0 : subset ? 100.0 / pythonLen(solution) : 0.0;
        results.put("Localization Accuracy", accuracy);
        common(results, "TTL", steps, seconds);
        boolean success = exact || (subset && pythonLen(solution) == 1);
        results.put("success", success);
        results.put("is_subset", subset);
        return new Outcome(results, success);
    }

    static List<String> localizationTargets(Problem problem) {
        String faulty = problem.faultyService() == null ? "" : problem.faultyService();
        boolean alias = problem.faultFamily().equals("revoke_auth_mongodb")
                || problem.faultFamily().equals("user_unregistered_mongodb");
        return alias && faulty.startsWith("mongodb-") ? List.of(faulty, faulty.substring("mongodb-".length()))
                : List.of(faulty);
    }

    private static boolean exactMatch(Object solution, String target) {
        List<?> answer = solution instanceof List<?> list ? list : java.util.Collections.singletonList(solution);
        return answer.size() == 1 && target.equals(answer.getFirst());
    }

    private static Set<Object> pythonSet(Object value) {
        Set<Object> set = new HashSet<>();
        switch (value) {
            case String s -> s.codePoints().forEach(cp -> set.add(new String(Character.toChars(cp))));
            case Map<?, ?> m -> set.addAll(m.keySet());
            case List<?> l -> {
                for (Object item : l) {
                    if (item instanceof List<?> || item instanceof Map<?, ?>) {
                        throw new EvalError("TypeError: unhashable type: '" + (item instanceof List<?> ? "list" : "dict") + "'");
                    }
                    set.add(item);
                }
            }
            default -> throw new EvalError("TypeError: '" + pythonType(value) + "' object is not iterable");
        }
        return set;
    }

    private static int pythonLen(Object value) {
        return switch (value) {
            case String s -> s.codePointCount(0, s.length());
            case Map<?, ?> m -> m.size();
            case List<?> l -> l.size();
            default -> throw new EvalError("TypeError: object of type '" + pythonType(value) + "' has no len()");
        };
    }

    /**
     * AIOpsLab: problems/*&#47;*.py analysis {@code eval()} (e.g. problems/scale_pod/scale_pod_social_net.py,
     * with evaluators/quantitative.py {@code is_exact_match_lower}): a dict whose "system_level" and "fault_type"
     * strings, stripped and lower-cased, equal the expected ones; success when both are; anything but a dict is
     * wrong on both counts.
     */
    private static Outcome analysis(Problem problem, Object solution, Map<String, Object> results, int steps,
            double seconds) {
        boolean level = false;
        boolean type = false;
        if (solution instanceof Map<?, ?> answer) {
            level = field(answer, "system_level").equals(lower(problem.systemLevel()));
            type = field(answer, "fault_type").equals(lower(problem.faultType()));
        }
        results.put("system_level_correct", level);
        results.put("fault_type_correct", type);
        results.put("success", level && type);
        common(results, "TTA", steps, seconds);
        return new Outcome(results, level && type);
    }

    /** {@code soln.get(key, "").strip().lower()}, which raises for a value that is not a string. */
    private static String field(Map<?, ?> answer, String key) {
        if (!answer.containsKey(key)) {
            return "";
        }
        if (!(answer.get(key) instanceof String value)) {
            throw new EvalError("AttributeError: '" + pythonType(answer.get(key)) + "' object has no attribute 'strip'");
        }
        return lower(value.strip());
    }

    /**
     * AIOpsLab judges mitigation on the cluster as it is when the episode ends, whether or not the agent
     * submitted (orchestrator.py {@code start_problem} calls {@code eval()} after the last step either way).
     * Each family's rule is its problem's {@code eval()}.
     */
    private static Outcome mitigation(Problem problem, Cluster cluster, Map<String, Object> results, int steps,
            double seconds) {
        common(results, "TTM", steps, seconds);
        cluster.reconcile();
        Boolean success = switch (problem.faultFamily()) {
            // AIOpsLab: problems/k8s_target_port_misconfig/target_port.py: the service's first port targets 9090
            // (the number; is_exact_match), then pods with container statuses are healthy
            case "k8s_target_port-misconfig" -> targetPortIs9090(cluster, problem.faultyService())
                    && podsHealthy(cluster, true);
            // AIOpsLab: problems/scale_pod/scale_pod_social_net.py: exactly 1 desired and 1 available replica, then
            // every pod healthy (a pod without container statuses makes its eval() raise)
            case "scale_pod_zero_social_net" -> oneReplicaAvailable(cluster, problem.faultyService())
                    & podsHealthy(cluster, false);
            // AIOpsLab: problems/assign_non_existent_node/assign_non_existent_node_social_net.py: some pod's name
            // contains the faulty service, then pods with container statuses are healthy (a Pending pod is skipped)
            case "assign_to_non_existent_node_social_net" -> cluster.pods.stream()
                    .anyMatch(p -> p.name.contains(problem.faultyService())) && podsHealthy(cluster, true);
            // AIOpsLab: problems/kafka_queue_problems/kafka_queue_problems.py: pods with container statuses healthy
            case "astronomy_shop_kafka_queue_problems" -> podsHealthy(cluster, true);
            // AIOpsLab: problems/misconfig_app/misconfig_app_hotel_res.py: kubectl.wait_for_ready within 60 s, i.e.
            // there are pods and every one is ready (service/kubectl.py _pod_is_ready_or_succeeded)
            case "misconfig_app_hotel_res" -> !cluster.pods.isEmpty()
                    && cluster.pods.stream().allMatch(p -> p.scheduled() && p.ready);
            // AIOpsLab: problems/wrong_bin_usage/wrong_bin_usage.py: no container crashing, failing to pull,
            // terminated with an error or running unready, then every container of the faulty deployment has
            // "profile" as an item of its command
            case "wrong_bin_usage" -> wrongBinPodsFine(cluster) && commandHasProfile(cluster, problem.faultyService());
            // AIOpsLab: problems/auth_miss_mongodb/auth_miss_mongodb.py, problems/revoke_auth/revoke_auth.py,
            // problems/storage_user_unregistered/storage_user_unregistered.py,
            // problems/redeploy_without_pv/redeploy_without_pv.py: every pod healthy (no guard: a pod without
            // container statuses makes eval() raise)
            case "auth_miss_mongodb", "revoke_auth_mongodb", "user_unregistered_mongodb", "redeploy_without_PV" ->
                podsHealthy(cluster, false);
            // a problem without its own eval() gets tasks/mitigation.py's, which sets no "success"
            default -> null;
        };
        if (success == null) {
            return new Outcome(results, false);
        }
        results.put("success", success);
        return new Outcome(results, success);
    }

    /**
     * The container-status loop most mitigation {@code eval()}s share: a container waiting in CrashLoopBackOff,
     * terminated other than Completed, or not ready makes the cluster unhealthy.
     *
     * @param skipWithoutStatuses true where the eval() guards with {@code if pod.status.container_statuses:}
     */
    private static boolean podsHealthy(Cluster cluster, boolean skipWithoutStatuses) {
        for (Pod pod : cluster.pods) {
            if (!hasContainerStatuses(pod)) {
                if (skipWithoutStatuses) {
                    continue;
                }
                throw new EvalError("TypeError: 'NoneType' object is not iterable (pod " + pod.name
                        + " has no container statuses)");
            }
            if (!pod.ready) {
                return false;
            }
        }
        return true;
    }

    /** A pod that was never scheduled has no containers yet, so Kubernetes reports no container statuses. */
    private static boolean hasContainerStatuses(Pod pod) {
        return pod.scheduled();
    }

    private static boolean wrongBinPodsFine(Cluster cluster) {
        for (Pod pod : cluster.pods) {
            if (!hasContainerStatuses(pod)) {
                throw new EvalError("TypeError: 'NoneType' object is not iterable (pod " + pod.name
                        + " has no container statuses)");
            }
            if (pod.waitingReason != null) {
                // only these waiting reasons count; a container waiting for another reason is not judged
                if (List.of("CrashLoopBackOff", "Error", "ImagePullBackOff", "ErrImagePull").contains(pod.waitingReason)) {
                    return false;
                }
            }
            else if (terminatedWithError(pod) || !pod.ready) {
                return false;
            }
        }
        return true;
    }

    private static boolean terminatedWithError(Pod pod) {
        return pod.status.startsWith("Exited") && !pod.status.equals("Exited (0)") || pod.status.equals("Error");
    }

    private static boolean commandHasProfile(Cluster cluster, String deployment) {
        if (!cluster.deployments.containsKey(deployment)) {
            return false;
        }
        for (JsonNode container : cluster.podSpec(deployment).path("containers")) {
            JsonNode command = container.get("command");
            boolean found = command != null && command.isArray()
                    && command.valueStream().anyMatch(item -> item.isString() && item.asString().equals("profile"));
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean targetPortIs9090(Cluster cluster, String service) {
        if (!cluster.services.containsKey(service)) {
            throw new EvalError("kubernetes ApiException: service " + service + " not found");
        }
        JsonNode target = cluster.services.peek(service).at(Pointers.FIRST_PORT).get("targetPort");
        return target != null && target.isIntegralNumber() && target.asLong() == 9090;
    }

    private static boolean oneReplicaAvailable(Cluster cluster, String deployment) {
        if (!cluster.deployments.containsKey(deployment)) {
            return false;
        }
        long available = cluster.podsOf(deployment).stream().filter(p -> p.ready).count();
        return cluster.replicas(deployment) == 1 && available == 1;
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }

    private static String pythonType(Object value) {
        return switch (value) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "str";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            default -> value.getClass().getSimpleName();
        };
    }
}
