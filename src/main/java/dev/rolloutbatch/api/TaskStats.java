package dev.rolloutbatch.api;

import java.util.Map;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * @param avgExecutionTime mean seconds from start to end of the tasks that ran and ended, null when none
 * @param successRate      successful tasks / tasks that ran to an end (completed, failed, timeout); null when none
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record TaskStats(long total, long pending, long running, long completed, long failed, long timeout, long cancelled,
        Double avgExecutionTime, Double successRate, Map<String, Long> tasksByProblem,
        Map<String, Long> tasksByWorker) {
}
