package dev.rolloutbatch.collect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.PolicyRequest;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.agent.scripted.ScriptedPolicy;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.catalog.TaskType;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.TokenEstimator;
import dev.rolloutbatch.environment.AgentEnvironment;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.episode.EpisodeTurn;
import dev.rolloutbatch.environment.simulated.RewardProperties;
import dev.rolloutbatch.environment.simulated.SimulatedEnvironment;

/**
 * Prints the scripted baseline's success rate per task type on the simulated environment, under both gradings
 * (the project's reward and AIOpsLab's own), for a problem list, without Spring or a database:
 * <pre>
 * java -cp target/rollout-batch.jar -Dloader.main=dev.rolloutbatch.collect.ScriptedBaselineReport \
 *     org.springframework.boot.loader.launch.PropertiesLauncher jobs/nightly.csv
 * </pre>
 * The list is read by the collect job's {@link ProblemList}, the defaults and seeds are the plan step's, and each
 * step is the episode runner's {@link EpisodeTurn}; only the conversation log and the database are left out.
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

    /**
     * Every (problem, sample) of the list, as a collect run of it with the default parameters would plan them:
     * samples, steps and each episode's seed (derived from base seed 0) as the plan step gives them.
     */
    public static List<Outcome> run(Path list) {
        ProblemCatalog catalog = new ProblemCatalog();
        AgentEnvironment environment = new SimulatedEnvironment(catalog, RewardProperties.defaults());
        ScriptedPolicy policy = new ScriptedPolicy(new TokenEstimator());
        List<Outcome> outcomes = new ArrayList<>();
        for (ProblemListEntry entry : ProblemList.read(list, catalog, environment.servedProblemIds(), "simulated")) {
            Problem problem = catalog.get(entry.problemId());
            int samples = entry.samples() != null ? entry.samples() : CollectParameters.DEFAULT_SAMPLES;
            int maxSteps = entry.maxSteps() != null ? entry.maxSteps() : CollectParameters.DEFAULT_MAX_STEPS;
            for (int sample = 0; sample < samples; sample++) {
                long seed = EpisodeSeeds.derive(CollectParameters.DEFAULT_SEED, problem.id(), sample);
                outcomes.add(play(environment, policy, problem, seed, maxSteps));
            }
        }
        return outcomes;
    }

    /** Plays one episode as the episode runner does (text protocol, same turns), without logging. */
    static Outcome play(AgentEnvironment environment, ScriptedPolicy policy, Problem problem, long seed, int maxSteps) {
        try (EnvironmentSession session = environment.start(problem, seed)) {
            AgentSettings settings = new AgentSettings(ScriptedPolicy.MODEL, Protocol.TEXT, null, null, null, seed, null, false);
            PolicySession agent = policy.open(new PolicyRequest(problem, session.brief(), settings, seed));
            List<ChatMessage> history = new ArrayList<>(agent.initialMessages());
            int steps = 0;
            String submitted = null;
            while (submitted == null && steps < maxSteps) {
                steps++;
                submitted = EpisodeTurn.take(agent, session, session.brief(), history, EpisodeTurn.Transcript.NONE);
            }
            Evaluation evaluation = session.evaluate().forEpisode(steps, maxSteps, submitted);
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
