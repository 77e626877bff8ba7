package dev.rolloutbatch.episode;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * How one attempt ended.
 *
 * @param costUsd null when a model of the conversation has no price
 */
public record EpisodeResult(long episodeId, UUID conversationId, EpisodeStatus status, int steps, Boolean success,
        Double reward, String error, BigDecimal costUsd) {
}
