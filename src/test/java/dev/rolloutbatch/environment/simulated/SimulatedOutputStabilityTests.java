package dev.rolloutbatch.environment.simulated;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.environment.StepResult;
import dev.rolloutbatch.environment.TaskBrief;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins what the twin prints, byte for byte: every problem, three seeds, one fixed script of reads (tables, json,
 * yaml, jsonpath, describe, logs, telemetry, docker), writes (patch, set, rollout, scale, delete), the problem's
 * own fix and a submit. The golden files were written by the code before any performance work; an intended
 * change of output regenerates them with {@code -Dsimulated.golden.write=true}.
 */
class SimulatedOutputStabilityTests {

    private static final long[] SEEDS = {1, 42, -1_234_567_890_123L};
    private static final List<String> TRANSCRIBED = List.of("k8s_target_port-misconfig-mitigation-1",
            "redeploy_without_PV-mitigation-1", "flower_node_stop-detection");
    private static final long TRANSCRIPT_SEED = 42;
    private static final String DIGESTS = "golden-digests.txt";
    private static final String TRANSCRIPTS = "golden-transcripts.txt";
    private static final boolean WRITE = Boolean.getBoolean("simulated.golden.write");

    @Test
    void everyProblemAndSeedPrintsWhatItDidBefore() throws IOException {
        StringBuilder actual = new StringBuilder();
        for (Problem problem : SimTestSupport.CATALOG.problems()) {
            for (long seed : SEEDS) {
                actual.append(digestLine(problem, seed, play(problem, seed))).append('\n');
            }
        }
        compare(DIGESTS, actual.toString());
    }

    @Test
    void representativeTranscriptsAreUnchanged() throws IOException {
        StringBuilder actual = new StringBuilder();
        for (String id : TRANSCRIBED) {
            for (Step step : play(SimTestSupport.problem(id), TRANSCRIPT_SEED)) {
                actual.append("### ").append(id).append(" seed ").append(TRANSCRIPT_SEED).append(": ").append(step.action())
                    .append('\n').append(step.observation()).append('\n');
            }
        }
        compare(TRANSCRIPTS, actual.toString());
    }

    private static void compare(String name, String actual) throws IOException {
        if (WRITE) {
            Path file = Path.of("src/test/resources/simulated", name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected;
        try (InputStream in = SimulatedOutputStabilityTests.class.getResourceAsStream("/simulated/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> want = expected.lines().toList();
        List<String> got = actual.lines().toList();
        for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
            assertThat(got.get(i)).as("%s line %d", name, i + 1).isEqualTo(want.get(i));
        }
        assertThat(actual).as(name).isEqualTo(expected);
    }

    /** One line per problem and seed: a digest of the whole run, then a short digest per step to find the first change. */
    private static String digestLine(Problem problem, long seed, List<Step> steps) {
        StringBuilder all = new StringBuilder();
        StringBuilder perStep = new StringBuilder();
        for (Step step : steps) {
            String text = step.action() + "\n" + step.observation() + "\n";
            all.append(text);
            perStep.append(' ').append(sha256(text), 0, 8);
        }
        return problem.id() + " " + seed + " " + sha256(all.toString()) + perStep;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    record Step(String action, String observation) {
    }

    /** Records every action taken through it, including those the fault-family fixes take to find a pod name. */
    private static final class Recorder implements EnvironmentSession {

        final EnvironmentSession session;
        final List<Step> steps = new ArrayList<>();

        Recorder(EnvironmentSession session) {
            this.session = session;
        }

        @Override
        public TaskBrief brief() {
            return session.brief();
        }

        @Override
        public StepResult step(String action) {
            StepResult result = session.step(action);
            steps.add(new Step(action, result.observation() + "\n[done=" + result.done() + "]"));
            return result;
        }

        String sh(String command) {
            return step("exec_shell(" + SimulatedFaultFamilyTests.ToolPython.string(command) + ")").observation();
        }

        @Override
        public Evaluation evaluate() {
            return session.evaluate();
        }

        @Override
        public void close() {
            session.close();
        }
    }

    static List<Step> play(Problem problem, long seed) {
        try (Recorder s = new Recorder(SimTestSupport.ENV.start(problem, seed))) {
            s.steps.add(new Step("brief", s.brief().toString()));
            script(s, problem);
            Evaluation evaluation = s.evaluate();
            Map<String, Object> results = new LinkedHashMap<>(evaluation.results());
            results.keySet().removeIf(k -> k.startsWith("TT"));
            s.steps.add(new Step("evaluate", results + " success=" + evaluation.success() + " reward=" + evaluation.reward()));
            return s.steps;
        }
    }

    private static void script(Recorder s, Problem problem) {
        String ns = problem.namespace();
        List<String> services = SimTestSupport.CATALOG.application(problem.application()).services();
        String svc = problem.faultyService().isEmpty() ? services.getFirst() : problem.faultyService();
        String key = SimTestSupport.CATALOG.application(problem.application()).podLabelKey();
        String in = " -n " + ns;

        s.step("get_logs(\"" + ns + "\", \"" + svc + "\")");
        String metrics = s.step("get_metrics(\"" + ns + "\", 5)").observation();
        String directory = metrics.lines().findFirst().orElseThrow().substring(metrics.indexOf(": ") + 2);
        s.step("read_metrics(\"" + directory + "/container/kpi_container_memory_working_set_bytes.csv\")");
        String traces = s.step("get_traces(namespace=\"" + ns + "\", duration=3)").observation();
        s.step("read_traces('" + traces.substring(traces.indexOf(": ") + 2) + "')");
        for (String output : List.of("", " -o wide", " -o json", " -o yaml", " -o name", " --show-labels", " --no-headers")) {
            s.sh("kubectl get pods" + in + output);
        }
        s.sh("kubectl get pods -A");
        s.sh("kubectl get pods" + in + " -l " + key + "=" + svc);
        s.sh("kubectl get pods" + in + " -o jsonpath='{.items[*].metadata.name}'");
        String pod = s.sh("kubectl get pods" + in + " -o jsonpath='{.items[0].metadata.name}'");
        s.sh("kubectl get pod " + pod + in + " -o yaml");
        s.sh("kubectl get pod " + pod + in + " -o json");
        for (String kind : List.of("svc", "deployments", "endpoints", "events", "pvc", "configmaps")) {
            for (String output : List.of("", " -o wide", " -o json", " -o yaml")) {
                s.sh("kubectl get " + kind + in + output);
            }
        }
        s.sh("kubectl get svc/" + svc + in + " -o yaml");
        s.sh("kubectl get deployment " + svc + in + " -o json");
        s.sh("kubectl get deploy " + svc + in + " -o jsonpath='{.spec.template.spec.containers[0].image}'");
        s.sh("kubectl get rs" + in);
        s.sh("kubectl get pv");
        s.sh("kubectl get all" + in);
        s.sh("kubectl get pods,svc" + in + " -o wide");
        s.sh("kubectl get nodes -o wide");
        s.sh("kubectl get namespaces");
        s.sh("kubectl get events -A");
        s.sh("kubectl describe pod " + pod + in);
        s.sh("kubectl describe pods" + in);
        s.sh("kubectl describe deployment " + svc + in);
        s.sh("kubectl describe svc " + svc + in);
        s.sh("kubectl describe endpoints " + svc + in);
        s.sh("kubectl describe pvc" + in);
        s.sh("kubectl describe configmap" + in);
        s.sh("kubectl describe node kind-worker");
        s.sh("kubectl logs " + pod + in + " --tail 20");
        s.sh("kubectl logs deployment/" + svc + in);
        s.sh("kubectl logs -l " + key + "=" + svc + in);
        s.sh("kubectl logs " + pod + in + " --previous");
        s.sh("kubectl top pods" + in);
        s.sh("kubectl get pods" + in + " | grep " + svc);
        s.sh("kubectl get pods" + in + " | grep -v Running | wc -l");
        s.sh("kubectl get events" + in + " | tail -5");
        s.sh("kubectl get pods" + in + " 2>&1 | head -3");
        s.sh("kubectl exec " + pod + in + " -- env");
        s.sh("kubectl rollout history deployment/" + svc + in);
        s.sh("kubectl rollout status deployment/" + svc + in);
        for (String docker : List.of("docker ps", "docker ps -a", "docker logs " + svc, "docker logs --tail 5 " + svc,
                "docker inspect " + svc, "docker stats", "docker restart " + svc)) {
            s.sh(docker);
        }
        for (String refused : List.of("kubectl edit svc " + svc + in, "kubectl get pods -w" + in, "kubectl logs -f " + pod + in,
                "kubectl port-forward svc/" + svc + " 8080:8080", "kubectl exec -it " + pod + " -- sh", "vim /etc/hosts", "sudo ls")) {
            s.sh(refused);
        }
        s.sh("echo hi && date; pwd | wc -c");
        s.step("exec_shell(\"kubectl get pods -n " + ns + "\"");
        s.step("launch_rocket()");

        s.sh("kubectl rollout restart deployment/" + svc + in);
        s.sh("kubectl get pods" + in);
        s.sh("kubectl set env deployment/" + svc + " FOO=bar" + in);
        s.sh("kubectl get pods" + in + " -o json");
        String container = s.sh("kubectl get deploy " + svc + in + " -o jsonpath='{.spec.template.spec.containers[0].name}'");
        s.sh("kubectl set image deployment/" + svc + " " + container + "=example/img:1" + in);
        s.sh("kubectl get pods" + in);
        s.sh("kubectl patch deployment " + svc + in + " -p '{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"tier\":\"x\"}}}}}'");
        s.sh("kubectl get pods" + in + " --show-labels");
        s.sh("kubectl patch deployment " + svc + in + " -p '{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"tier\":\"x\"}}}}}'");
        s.sh("kubectl rollout undo deployment/" + svc + in);
        s.sh("kubectl get pods" + in);
        s.sh("kubectl rollout undo deployment/" + svc + in);
        s.sh("kubectl rollout undo deployment/" + svc + in);
        s.sh("kubectl get pods" + in + " -o wide");
        s.sh("kubectl scale deployment " + svc + " --replicas=2" + in);
        s.sh("kubectl get pods" + in + " -o wide");
        s.sh("kubectl get rs" + in);
        s.sh("kubectl delete pod " + pod + in);
        s.sh("kubectl get pods" + in);
        s.sh("kubectl scale deployment " + svc + " --replicas=1" + in);
        s.sh("kubectl patch svc " + svc + in + " --type json -p '[{\"op\":\"replace\",\"path\":\"/spec/ports/0/targetPort\",\"value\":1234}]'");
        s.sh("kubectl get endpoints" + in + " -o yaml");
        s.sh("kubectl get events" + in);
        s.sh("kubectl rollout history deployment/" + svc + in);
        s.sh("kubectl describe deployment " + svc + in);

        List<String> finish = SimulatedFaultFamilyTests.correct(s, problem);
        for (String action : finish.subList(0, finish.size() - 1)) {
            s.step(action);
        }
        s.sh("kubectl get pods" + in + " -o wide");
        s.sh("kubectl get deployments" + in + " -o yaml");
        s.step("get_logs(\"" + ns + "\", \"" + svc + "\")");
        s.step(finish.getLast());
        s.step("get_logs(\"" + ns + "\", \"" + svc + "\")");
    }
}
