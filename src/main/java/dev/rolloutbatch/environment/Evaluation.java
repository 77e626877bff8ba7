package dev.rolloutbatch.environment;

import java.util.Map;

/**
 * The environment's grade of an episode.
 *
 * @param results AIOpsLab's result fields (e.g. "Detection Accuracy", "Localization Accuracy", "is_subset",
 *                "system_level_correct"), JSON-serialisable values
 */
public record Evaluation(Map<String, Object> results, boolean success, double reward) {
}
