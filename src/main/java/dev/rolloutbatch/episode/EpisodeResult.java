package dev.rolloutbatch.episode;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * How one attempt ended.
 *
 * @param failureClass null when the episode succeeded or was cancelled
 * @param costUsd      what the attempt's LLM calls cost; null when a model of the conversation has no price
 */
public record EpisodeResult(long episodeId, UUID conversationId, EpisodeStatus status, int steps, Boolean success,
        Double reward, String error, FailureClass failureClass, BigDecimal costUsd) {

    /** The attempt was stopped before it could end (budget spent, endpoint failing): the episode is pending again. */
    public boolean interrupted() {
        return status == EpisodeStatus.PENDING;
    }
}
