package dev.rolloutbatch.environment.simulated;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Weights of the simulated environment's numeric reward (see {@link Grader#reward}).
 *
 * @param success       reward of a successful episode
 * @param partial       weight of partial credit in a failed episode (localization accuracy / 100 when the answer
 *                      contains the faulty service; 0.5 when one of the two analysis fields is right)
 * @param invalidFormat penalty (subtracted) when the submission is malformed or missing
 * @param stepCost      penalty (subtracted) per step taken, to prefer short episodes
 */
@ConfigurationProperties("rollout.reward")
public record RewardProperties(@DefaultValue("1.0") double success, @DefaultValue("0.5") double partial,
        @DefaultValue("0.1") double invalidFormat, @DefaultValue("0.0") double stepCost) {

    public static RewardProperties defaults() {
        return new RewardProperties(1.0, 0.5, 0.1, 0.0);
    }
}
