package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A run's totals and their breakdown by problem and by task type, as logged and stored in {@code run.report}.
 * {@code failureClasses} counts the episodes of each failure class ({@code infrastructure:auth}, ...).
 */
record RunReport(long runId, Line total, List<Line> byTaskType, List<Line> byProblem,
        Map<String, Integer> failureClasses) {

    /**
     * @param key           the problem id or task type ("all" for the total)
     * @param finished      completed + failed + timeout + cancelled
     * @param avgSteps      over finished episodes
     * @param avgSeconds    wall time per finished episode
     * @param succeeded     solved by the project's grading (the reward's success)
     * @param aiopslabSucceeded solved by AIOpsLab's own grading (the evaluation's {@code aiopslab.success}; for rows
     *                      written before both gradings were stored, the project's)
     * @param costUsd       null when some call had no price
     */
    record Line(String key, int episodes, int finished, int completed, int succeeded, int failed, double successRate,
            int aiopslabSucceeded, double aiopslabSuccessRate, double avgSteps, double avgSeconds, long inputTokens,
            long outputTokens, BigDecimal costUsd) {
    }
}
