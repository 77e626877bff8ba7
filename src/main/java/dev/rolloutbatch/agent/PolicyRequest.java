package dev.rolloutbatch.agent;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.environment.TaskBrief;

/**
 * @param seed the episode's seed (for sampling and for any randomness of a scripted policy)
 */
public record PolicyRequest(Problem problem, TaskBrief brief, AgentSettings settings, long seed) {
}
