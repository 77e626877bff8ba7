package dev.rolloutbatch.agent.scripted;

import java.util.List;
import java.util.Map;

import dev.rolloutbatch.agent.TextProtocol;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.TaskType;

/**
 * The scripted baseline's decision procedure: look at pods (or containers), deployments, services and endpoints,
 * the events when something is Pending, then the logs of the most suspicious service (or of the entry service),
 * following the service that error lines blame for a few hops; then submit per task type, applying the one fix
 * it knows for the symptom first when the task is mitigation.
 * <p>
 * The seed only varies how many log hops it follows (3 or 4), so samples of one problem can differ honestly.
 */
final class ScriptedAgent {

    private static final List<String> ENTRIES = List.of("nginx-thrift", "frontend-proxy", "frontend", "superlink");

    private final Problem problem;
    private final String ns;
    private final boolean docker;
    private final int maxHops;
    private final Investigation facts = new Investigation();
    private String pending;
    private String logTarget;
    private int hops;
    private boolean fixed;
    private boolean verified;
    private boolean eventsRead;

    ScriptedAgent(Problem problem, long seed) {
        this.problem = problem;
        this.ns = problem.namespace();
        this.docker = "docker".equals(problem.deployment());
        this.maxHops = 3 + (int) Math.floorMod(seed, 2L);
    }

    /** A thought and the action to take, given the observation of the previous action (null at the start). */
    String[] next(String observation) {
        if (pending != null && observation != null) {
            observe(pending, observation);
        }
        String[] decision = decide();
        pending = decision[1];
        return decision;
    }

    private void observe(String action, String observation) {
        if (action.contains("get pods") || action.contains("docker ps")) {
            facts.readPods(observation, docker);
        }
        else if (action.contains("get deployments")) {
            facts.readDeployments(observation);
        }
        else if (action.contains("get services")) {
            facts.readServices(observation);
        }
        else if (action.contains("get endpoints")) {
            facts.readEndpoints(observation);
        }
        else if (action.contains("get events")) {
            facts.readEvents(observation);
        }
        else if (action.startsWith("get_logs")) {
            String blamed = facts.readLogs(logTarget, observation);
            boolean hadErrors = facts.errorsSeen;
            if (blamed != null && hops < maxHops && !facts.logsRead.contains(blamed)) {
                logTarget = blamed;
                hops++;
                facts.culprit = blamed;
            }
            else {
                if (facts.culprit == null && (hadErrors || facts.suspects.containsKey(logTarget))) {
                    facts.culprit = logTarget;
                }
                logTarget = null;
                hops = Integer.MAX_VALUE;
            }
        }
    }

    private String[] decide() {
        if (pending == null) {
            return docker ? step("Let me list all containers and their status first.", "exec_shell(\"docker ps -a\")")
                    : step("Let me start by checking the state of the pods.", shell("kubectl get pods -n " + ns));
        }
        if (!docker && !done("get deployments")) {
            return step("Next, the deployments and their ready replicas.", shell("kubectl get deployments -n " + ns));
        }
        if (!docker && !done("get services")) {
            return step("Now the services and their ports.", shell("kubectl get services -n " + ns));
        }
        if (!docker && !done("get endpoints")) {
            return step("Let me check that every service has endpoints on the right port.", shell("kubectl get endpoints -n " + ns));
        }
        if (!docker && !eventsRead && facts.suspects.containsValue(Investigation.Symptom.PENDING)) {
            eventsRead = true;
            return step("Some pods are Pending; the events should say why.", shell("kubectl get events -n " + ns));
        }
        if (hops != Integer.MAX_VALUE) {
            if (logTarget == null) {
                logTarget = facts.suspects.isEmpty() ? entry() : facts.suspects.keySet().iterator().next();
                if (!facts.suspects.isEmpty()) {
                    facts.culprit = logTarget;
                }
            }
            if (logTarget != null) {
                return step("Let me read the logs of " + logTarget + ".", "get_logs(\"" + ns + "\", \"" + logTarget + "\")");
            }
            hops = Integer.MAX_VALUE;
        }
        return conclude();
    }

    private boolean done(String what) {
        return pendingHistory.contains(what);
    }

    private final java.util.Set<String> pendingHistory = new java.util.HashSet<>();

    private String[] step(String thought, String action) {
        for (String key : List.of("get deployments", "get services", "get endpoints")) {
            if (action.contains(key)) {
                pendingHistory.add(key);
            }
        }
        return new String[] {thought, action};
    }

    private String entry() {
        for (String entry : ENTRIES) {
            if (facts.services.contains(entry)) {
                return entry;
            }
        }
        return facts.services.isEmpty() ? null : facts.services.iterator().next();
    }

    private String[] conclude() {
        boolean anomaly = !facts.suspects.isEmpty() || facts.errorsSeen;
        String culprit = facts.culprit;
        return switch (problem.taskType()) {
            case DETECTION -> step(anomaly ? "I found unhealthy components or errors, so there is an anomaly."
                    : "Everything looks healthy and the logs show no errors.", "submit(\"" + (anomaly ? "Yes" : "No") + "\")");
            case LOCALIZATION -> step(culprit == null ? "I could not pin down a faulty service."
                    : "The evidence points at " + culprit + ".", culprit == null ? "submit([])" : "submit([\"" + culprit + "\"])");
            case ANALYSIS -> {
                String[] answer = analysis();
                yield step("Based on the symptoms, the fault looks like " + answer[1] + " at the " + answer[0] + " level.",
                        "submit({\"system_level\": \"" + answer[0] + "\", \"fault_type\": \"" + answer[1] + "\"})");
            }
            case MITIGATION -> mitigate();
        };
    }

    private String[] analysis() {
        Investigation.Symptom first = facts.suspects.isEmpty() ? null : facts.suspects.values().iterator().next();
        if (first == Investigation.Symptom.PORT_MISMATCH || first == Investigation.Symptom.NO_ENDPOINTS) {
            return new String[] {"Virtualization", "Misconfiguration"};
        }
        if (first == Investigation.Symptom.SCALED_ZERO) {
            return new String[] {"Virtualization", "Operation Error"};
        }
        if (first == Investigation.Symptom.PENDING) {
            return new String[] {"Virtualization", "Dependency Problem"};
        }
        if (facts.authErrors) {
            return new String[] {"Application", "Authentication Issue"};
        }
        return new String[] {"Application", "Misconfiguration"};
    }

    private String[] mitigate() {
        if (!fixed) {
            fixed = true;
            for (Map.Entry<String, Investigation.Symptom> e : facts.suspects.entrySet()) {
                String s = e.getKey();
                switch (e.getValue()) {
                    case PORT_MISMATCH -> {
                        int port = facts.servicePorts.get(s);
                        return step("The endpoints of " + s + " use a different port than the service; restore targetPort " + port + ".",
                                shell("kubectl patch service " + s + " -n " + ns
                                        + " --type=json -p '[{\"op\": \"replace\", \"path\": \"/spec/ports/0/targetPort\", \"value\": " + port + "}]'"));
                    }
                    case SCALED_ZERO -> {
                        return step(s + " is scaled to zero; scale it back to one replica.",
                                shell("kubectl scale deployment " + s + " -n " + ns + " --replicas=1"));
                    }
                    case PENDING -> {
                        if (facts.nodeSelectorPending) {
                            return step(s + " cannot be scheduled because of its node selector; remove it.",
                                    shell("kubectl patch deployment " + s + " -n " + ns
                                            + " --type=json -p '[{\"op\": \"remove\", \"path\": \"/spec/template/spec/nodeSelector\"}]'"));
                        }
                    }
                    case CRASH -> {
                        return step(s + " is crash-looping since its last rollout; roll it back.",
                                shell("kubectl rollout undo deployment/" + s + " -n " + ns));
                    }
                    default -> {
                    }
                }
            }
        }
        if (!verified) {
            verified = true;
            return step("Let me verify the pods are healthy now.", shell("kubectl get pods -n " + ns));
        }
        return step("The mitigation is done.", "submit()");
    }

    private static String shell(String command) {
        return TextProtocol.shellCall(command);
    }

    TaskType taskType() {
        return problem.taskType();
    }
}
