package dev.rolloutbatch.api;

import java.math.BigDecimal;
import java.util.UUID;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What the current attempt of a task produced so far.
 *
 * @param costUsd money in US dollars (null when a model of the conversation has no price)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record TaskResult(Boolean success, String solution, Integer stepsTaken, UUID conversationId, Integer totalMessages,
        Double reward, BigDecimal costUsd) {
}
