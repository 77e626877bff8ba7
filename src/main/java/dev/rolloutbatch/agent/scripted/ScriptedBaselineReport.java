package dev.rolloutbatch.agent.scripted;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import dev.rolloutbatch.agent.AgentAction;
import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.AgentTurn;
import dev.rolloutbatch.agent.PolicyRequest;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.agent.TextProtocol;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.catalog.TaskType;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.TokenEstimator;
import dev.rolloutbatch.environment.AgentEnvironment;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.environment.StepResult;
import dev.rolloutbatch.environment.simulated.RewardProperties;
import dev.rolloutbatch.environment.simulated.SimulatedEnvironment;

/**
 * Prints the scripted baseline's success rate per task type on the simulated environment, under both gradings
 * (the project's reward and AIOpsLab's own), for a problem list CSV
 * ({@code problem_id[,samples,max_steps]}), without Spring or a database:
 * <pre>
 * java -cp target/rollout-batch.jar -Dloader.main=dev.rolloutbatch.agent.scripted.ScriptedBaselineReport \
 *     org.springframework.boot.loader.launch.PropertiesLauncher jobs/nightly.csv
 * </pre>
 */
public final class ScriptedBaselineReport {

    /**
     * One played episode.
     *
     * @param success the project's grading; {@code evaluation.aiopslabSuccess()} is AIOpsLab's
     */
    public record Outcome(Problem problem, long seed, boolean success, double reward, int steps, Evaluation evaluation) {
    }

    private ScriptedBaselineReport() {
    }

    public static void main(String[] args) {
        Path list = Path.of(args.length > 0 ? args[0] : "jobs/nightly.csv");
        System.out.println(table(run(list)));
    }

    public static List<Outcome> run(Path list) {
        ProblemCatalog catalog = new ProblemCatalog();
        AgentEnvironment environment = new SimulatedEnvironment(catalog, RewardProperties.defaults());
        ScriptedPolicy policy = new ScriptedPolicy(new TokenEstimator());
        List<Outcome> outcomes = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).get().parse(reader)) {
                Problem problem = catalog.get(row.get("problem_id"));
                int samples = row.isSet("samples") && !row.get("samples").isEmpty() ? Integer.parseInt(row.get("samples")) : 1;
                int maxSteps = row.isSet("max_steps") && !row.get("max_steps").isEmpty() ? Integer.parseInt(row.get("max_steps")) : 30;
                for (int sample = 0; sample < samples; sample++) {
                    outcomes.add(play(environment, policy, problem, sample, maxSteps));
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + list, ex);
        }
        return outcomes;
    }

    /** Plays one episode the way the episode runner does (text protocol), without logging. */
    public static Outcome play(AgentEnvironment environment, ScriptedPolicy policy, Problem problem, long seed, int maxSteps) {
        try (EnvironmentSession session = environment.start(problem, seed)) {
            AgentSettings settings = new AgentSettings(ScriptedPolicy.MODEL, Protocol.TEXT, null, null, null, seed, null, false);
            PolicySession agent = policy.open(new PolicyRequest(problem, session.brief(), settings, seed));
            List<ChatMessage> history = new ArrayList<>(agent.initialMessages());
            int steps = 0;
            boolean done = false;
            while (!done && steps < maxSteps) {
                steps++;
                AgentTurn turn = agent.next(List.copyOf(history));
                history.add(turn.assistant());
                AgentAction action = TextProtocol.extract(turn.assistant().content());
                StepResult result = action.isValid() ? session.step(action.action()) : new StepResult(action.error(), false);
                history.add(ChatMessage.user(TextProtocol.observation(result.observation())));
                done = result.done();
            }
            Evaluation evaluation = session.evaluate().forEpisode(steps, maxSteps, null);
            return new Outcome(problem, seed, evaluation.success(), evaluation.reward(), steps, evaluation);
        }
    }

    /** Per task type: {solved by the reward, episodes, solved by AIOpsLab's grading}. */
    public static Map<TaskType, int[]> rates(List<Outcome> outcomes) {
        Map<TaskType, int[]> byType = new EnumMap<>(TaskType.class);
        for (Outcome outcome : outcomes) {
            int[] counts = byType.computeIfAbsent(outcome.problem().taskType(), t -> new int[3]);
            counts[1]++;
            if (outcome.success()) {
                counts[0]++;
            }
            if (outcome.evaluation().aiopslabSuccess()) {
                counts[2]++;
            }
        }
        return byType;
    }

    public static String table(List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-14s %6s %15s %8s %15s %8s%n", "task_type",
                "total", "reward solved", "rate", "aiopslab solved", "rate"));
        int[] all = new int[3];
        for (Map.Entry<TaskType, int[]> e : rates(outcomes).entrySet()) {
            int[] c = e.getValue();
            for (int i = 0; i < 3; i++) {
                all[i] += c[i];
            }
            out.append(line(e.getKey().id(), c)).append('\n');
        }
        return out.append(line("all", all)).toString();
    }

    private static String line(String key, int[] c) {
        return String.format(Locale.ROOT, "%-14s %6d %15d %7.1f%% %15d %7.1f%%", key, c[1], c[0],
                c[1] == 0 ? 0 : 100.0 * c[0] / c[1], c[2], c[1] == 0 ? 0 : 100.0 * c[2] / c[1]);
    }
}
