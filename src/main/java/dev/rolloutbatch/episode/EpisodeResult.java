package dev.rolloutbatch.episode;

import java.math.BigDecimal;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * How one attempt ended.
 *
 * @param failureClass null when the episode succeeded or was cancelled
 * @param costUsd      what the attempt's LLM calls cost; null when a model of the conversation has no price
 */
public record EpisodeResult(long episodeId, UUID conversationId, EpisodeStatus status, int steps, @Nullable Boolean success,
        @Nullable Double reward, @Nullable String error, @Nullable FailureClass failureClass,
        @Nullable BigDecimal costUsd) {

    /** The attempt was stopped before it could end (budget spent, endpoint failing): the episode is pending again. */
    public boolean interrupted() {
        return status == EpisodeStatus.PENDING;
    }
}
