package dev.rolloutbatch.export;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.rolloutbatch.conversation.Usage;

/**
 * One exported episode with the header of its one selected conversation, as the database cursor returns it.
 *
 * @param runDate      the partition: the run's run_date, or for an episode submitted without a run the UTC date
 *                     it was created
 * @param runId        null for an episode submitted over HTTP without a run
 * @param submission   the raw submit(...) call the agent made, null when it made none
 * @param failureClass {@code infrastructure:<kind>} or {@code agent:<kind>}; null on success, and for databases
 *                     that do not record it yet
 * @param usage        the conversation's token totals; {@code estimated} when any call's usage was estimated
 */
record EpisodeRow(LocalDate runDate, @Nullable Long runId, long episodeId, String problemId, String taskType,
        String application, int sampleIndex, String groupId, String status, Boolean success, Double reward,
        String evaluation, String error, Integer maxSteps, Integer stepsTaken, @Nullable String submission, @Nullable String failureClass,
        UUID conversationId, String policy, String model, String protocol, String sampling, String tools,
        Instant startedAt, Instant endedAt, Usage usage, BigDecimal costUsd) {

    boolean completed() {
        return "completed".equals(status);
    }

    boolean succeeded() {
        return completed() && Boolean.TRUE.equals(success);
    }
}
