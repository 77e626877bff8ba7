package dev.rolloutbatch.api;

import java.util.List;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** {@code GET /api/v1/llm-conversations/stats/summary}: everything, and the same by model. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record ConversationSummary(ModelSummary total, List<ModelSummary> byModel, String currency) {
}
