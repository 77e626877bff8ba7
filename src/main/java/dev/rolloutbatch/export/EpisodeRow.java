package dev.rolloutbatch.export;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One exported episode with the header of its one selected conversation, as the database cursor returns it.
 *
 * @param runDate the partition: the run's run_date, or for an episode submitted without a run the UTC date it
 *                was created
 * @param runId   null for an episode submitted over HTTP without a run
 */
record EpisodeRow(LocalDate runDate, Long runId, long episodeId, String problemId, String taskType,
        String application, int sampleIndex, String groupId, String status, Boolean success, Double reward,
        String evaluation, String error, UUID conversationId, String policy, String model, String protocol,
        String sampling, String tools, Instant startedAt, Instant endedAt, Usage usage, BigDecimal costUsd) {

    /** Token totals of the conversation, in the non-overlapping buckets of the conversation log. */
    record Usage(long inputUncached, long cacheRead, long cacheWrite, long output, long reasoning) {

        Usage plus(Usage other) {
            return new Usage(inputUncached + other.inputUncached, cacheRead + other.cacheRead,
                    cacheWrite + other.cacheWrite, output + other.output, reasoning + other.reasoning);
        }

        static final Usage ZERO = new Usage(0, 0, 0, 0, 0);
    }
}
