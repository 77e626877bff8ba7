package dev.rolloutbatch.episode;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What a group of a run's episodes (a problem, a task type, the whole run) came to, as {@link RunOutcomes} sums it
 * from the rows. Rates and averages are over the finished episodes and null when none has finished.
 *
 * @param key                 the problem id, the task type, or "all" for a whole run
 * @param taskType            the group's task type; null for a whole run
 * @param finished            completed + failed
 * @param failed              failed, timed out or cancelled
 * @param succeeded           solved by the project's grading ({@code episode.success}, the reward's success)
 * @param aiopslabSucceeded   solved by AIOpsLab's own grading ({@code evaluation.aiopslab.success}; rows from before
 *                            both gradings were stored count with the project's)
 * @param rewardStd           the sample standard deviation of the finished episodes' rewards
 * @param rewardCiLow         the 95 % interval of the mean reward (Student's t); null below two rewards
 * @param passAtK             the unbiased pass@k by the project's grading, averaged over the group's problems, for
 *                            k = 1, 2, 4, ... up to the smallest number of finished samples among them
 * @param avgSeconds          wall time per finished episode
 * @param inputTokens         every LLM call of the group's episodes, aborted attempts included: they were paid for
 * @param costUsd             null when some call had no price
 */
public record Outcome(String key, String taskType, long problems, long episodes, long pending, long running,
        long finished, long completed, long failed, long succeeded, long aiopslabSucceeded, Double successRate,
        Double aiopslabSuccessRate, Double meanReward, Double rewardStd, Double rewardCiLow, Double rewardCiHigh,
        Map<Integer, Double> passAtK, Map<Integer, Double> aiopslabPassAtK, Double avgSteps, Double avgSeconds,
        long inputTokens, long outputTokens, BigDecimal costUsd) {

    /** The outcome of a group without episodes. */
    public static Outcome none(String key) {
        return new Outcome(key, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null, null, null, Map.of(),
                Map.of(), null, null, 0, 0, BigDecimal.ZERO);
    }
}
