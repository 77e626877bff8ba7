package dev.rolloutbatch.api;

import java.math.BigDecimal;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Totals of the conversations of one model (or of all).
 *
 * @param totalCost    US dollars of the priced calls
 * @param unpricedCalls calls whose model has no price (not in {@code total_cost})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record ModelSummary(String model, long conversations, long messages, long llmCalls, Tokens tokens,
        BigDecimal totalCost, long unpricedCalls) {
}
