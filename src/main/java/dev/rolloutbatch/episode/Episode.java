package dev.rolloutbatch.episode;

import dev.rolloutbatch.agent.AgentSettings;

/**
 * One planned attempt at one problem: a (problem, sample) of a run, or a task submitted over HTTP.
 *
 * @param groupId  samples of one problem in one run share it (GRPO groups)
 * @param attempt  how many times it has been started; the current attempt's number once claimed
 */
public record Episode(long id, Long runId, String problemId, int sampleIndex, String groupId, long seed,
        EpisodeStatus status, int attempt, String policy, String environment, int maxSteps, int timeoutSeconds,
        AgentSettings settings) {
}
