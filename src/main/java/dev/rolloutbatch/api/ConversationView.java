package dev.rolloutbatch.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One logged LLM conversation (one attempt of one task or batch episode).
 *
 * @param llmConfig  the model and sampling settings the conversation ran with
 * @param tokens     usage summed over its LLM calls, per bucket
 * @param totalCost  US dollars; null when a call's model has no price
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record ConversationView(UUID id, long taskId, int attempt, String status, String policy, String model,
        String protocol, JsonNode llmConfig, Instant startedAt, Instant endedAt, long totalMessages, long llmCalls,
        Tokens tokens, boolean usageEstimated, BigDecimal totalCost, String currency) {
}
