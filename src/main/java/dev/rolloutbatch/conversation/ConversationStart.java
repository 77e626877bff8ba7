package dev.rolloutbatch.conversation;

import java.time.Instant;
import java.util.UUID;

/**
 * @param sampling JSON of the sampling configuration (temperature, top_p, max_tokens, seed, stop)
 * @param tools    JSON array of the tools offered, or null
 */
public record ConversationStart(UUID id, long episodeId, int attempt, String policy, String model, String protocol,
        String sampling, String tools, Instant startedAt) {
}
