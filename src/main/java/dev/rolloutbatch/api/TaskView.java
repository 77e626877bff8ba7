package dev.rolloutbatch.api;

import java.time.Instant;
import java.util.Map;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A task as the API shows it. Timestamps are UTC instants (ISO-8601 with {@code Z}).
 *
 * @param result null until a worker has started the task
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record TaskView(long id, String problemId, String status, Map<String, Object> parameters, String workerId,
        int attempt, boolean cancelRequested, TaskResult result, String error, Instant createdAt, Instant startedAt,
        Instant endedAt) {

    /** The task as it was queued, before any worker touched it. */
    TaskView asSubmitted() {
        return new TaskView(id, problemId, "pending", parameters, null, 0, false, null, null, createdAt, null, null);
    }
}
