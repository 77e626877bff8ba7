package dev.rolloutbatch.api;

import dev.rolloutbatch.agent.AgentSettings;

/** A validated {@code POST /api/v1/tasks} body. */
record NewTask(String problemId, int maxSteps, int timeoutSeconds, boolean useLlm, AgentSettings settings) {
}
