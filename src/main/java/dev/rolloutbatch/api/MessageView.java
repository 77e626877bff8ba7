package dev.rolloutbatch.api;

import java.time.Instant;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** One message, in the OpenAI chat shape; {@code tool_calls} arguments are the raw JSON strings the model sent. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record MessageView(int seq, String role, String content, String name, JsonNode toolCalls, String toolCallId,
        int step, Instant createdAt) {
}
