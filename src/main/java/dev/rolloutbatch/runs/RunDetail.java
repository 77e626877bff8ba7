package dev.rolloutbatch.runs;

import java.util.List;
import java.util.Map;

import dev.rolloutbatch.episode.Outcome;

/** One run's report: its summary and where its episodes, success and money went. */
record RunDetail(RunSummary run, Map<String, Integer> episodesByStatus, List<Outcome> byTaskType,
        List<Outcome> byProblem, List<FailureReason> failureReasons) {

    /** How many unsuccessful episodes ended for one reason (failure class, or first line of the error). */
    record FailureReason(String reason, int episodes) {
    }
}
