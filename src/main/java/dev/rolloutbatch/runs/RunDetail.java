package dev.rolloutbatch.runs;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** One run's report: its summary and where its episodes, success and money went. */
record RunDetail(RunSummary run, Map<String, Integer> episodesByStatus, List<Line> byTaskType, List<Line> byProblem,
        List<FailureReason> failureReasons) {

    /** Totals of a group of the run's episodes (a task type or a problem). */
    record Line(String key, int episodes, int finished, int succeeded, int failed, double successRate,
            long inputTokens, long outputTokens, BigDecimal costUsd) {
    }

    /** How many unsuccessful episodes ended for one reason (failure class, or first line of the error). */
    record FailureReason(String reason, int episodes) {
    }
}
