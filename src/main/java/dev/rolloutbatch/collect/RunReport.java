package dev.rolloutbatch.collect;

import java.util.List;
import java.util.Map;

import dev.rolloutbatch.episode.Outcome;

/**
 * A run's totals and their breakdown by task type and by problem ({@link Outcome}: counts, success under both
 * gradings, mean reward with std and 95 % interval, pass@k, steps, time, tokens, cost), as logged and stored in
 * {@code run.report}. {@code failureClasses} counts the episodes of each failure class ({@code infrastructure:auth},
 * ...).
 */
record RunReport(long runId, Outcome total, List<Outcome> byTaskType, List<Outcome> byProblem,
        Map<String, Integer> failureClasses) {
}
