package dev.rolloutbatch.environment;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The environment's two gradings of an episode.
 *
 * @param results          AIOpsLab's result fields, by its own rules (e.g. "Detection Accuracy", "Localization
 *                         Accuracy", "is_subset", "system_level_correct", "TTD", "steps"), JSON-serialisable values
 * @param success          the project's grading: solved or not (the {@code episode.success} column)
 * @param reward           the project's numeric reward (the {@code episode.reward} column), never NaN
 * @param aiopslabSuccess  success as AIOpsLab's {@code eval()} decides it, quirks included
 * @param rewardComponents the additive terms of {@code reward} (their sum is the reward), e.g. "outcome",
 *                         "partial_credit", "invalid_format", "step_cost"
 * @param submission       the text of the accepted {@code submit(...)} call, or null when none was accepted
 * @param steps            assistant turns the episode took (AIOpsLab counts every turn, malformed ones too)
 * @param maxSteps         the step budget, or 0 when the environment does not know it
 */
public record Evaluation(Map<String, Object> results, boolean success, double reward, boolean aiopslabSuccess,
        Map<String, Object> rewardComponents, @Nullable String submission, int steps, int maxSteps) {

    public Evaluation {
        results = results == null ? Map.of() : results;
        rewardComponents = rewardComponents == null ? Map.of() : rewardComponents;
    }

    /** One grading for both (an environment that only reports AIOpsLab-style results and a reward). */
    public Evaluation(Map<String, Object> results, boolean success, double reward) {
        this(results, success, reward, success, Map.of(), null, 0, 0);
    }

    /**
     * A copy with the episode's own step count and budget, as the episode runner knows them. AIOpsLab's "steps"
     * result counts every assistant turn (AIOpsLab: evaluators/quantitative.py {@code num_steps_taken}); only the
     * runner sees the turns that never reached the environment (an unreadable answer), so its count replaces the
     * environment's.
     *
     * @param submitted the action that ended the episode, kept when the environment did not name the submission
     */
    public Evaluation forEpisode(int episodeSteps, int episodeMaxSteps, @Nullable String submitted) {
        Map<String, Object> counted = results;
        if (results.containsKey("steps")) {
            counted = new LinkedHashMap<>(results);
            counted.put("steps", episodeSteps);
        }
        return new Evaluation(counted, success, reward, aiopslabSuccess, rewardComponents,
                submission != null ? submission : submitted, episodeSteps, episodeMaxSteps);
    }

    /**
     * The stored form (the {@code episode.evaluation} column and the export's {@code evaluation} column):
     * {@code {"aiopslab": {"success", "results"}, "reward": {"success", "value", "components"}, "submission",
     * "steps", "max_steps"}}.
     */
    public Map<String, Object> toStored() {
        Map<String, Object> project = new LinkedHashMap<>();
        project.put("success", success);
        project.put("value", reward);
        project.put("components", rewardComponents);
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("aiopslab", aiopslabGrading());
        stored.put("reward", project);
        stored.put("submission", submission);
        stored.put("steps", steps);
        stored.put("max_steps", maxSteps);
        return stored;
    }

    /**
     * The HTTP environment protocol's evaluation response: {@code {"results", "success", "reward", "aiopslab",
     * "reward_components"}}.
     */
    public Map<String, Object> toHttpResponse() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", results);
        body.put("success", success);
        body.put("reward", reward);
        body.put("aiopslab", aiopslabGrading());
        body.put("reward_components", rewardComponents);
        return body;
    }

    /** {@code {"success", "results"}}: AIOpsLab's grading, the same in both forms. */
    private Map<String, Object> aiopslabGrading() {
        Map<String, Object> aiopslab = new LinkedHashMap<>();
        aiopslab.put("success", aiopslabSuccess);
        aiopslab.put("results", results);
        return aiopslab;
    }
}
