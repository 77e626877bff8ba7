package dev.rolloutbatch.episode;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.catalog.Problem;

/**
 * An episode that belongs to no run (e.g. a session of the environment service), before it is inserted.
 *
 * @param source  what created it ({@code api}, {@code session}, ...), stored in {@code episode.source}
 * @param groupId episodes sharing it form a group (GRPO)
 */
public record NewEpisode(String source, Problem problem, String groupId, long seed, String policy,
        String environment, AgentSettings settings, int maxSteps, int timeoutSeconds) {
}
