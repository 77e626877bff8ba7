package dev.rolloutbatch.environment.simulated;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Weights of the project's reward (see {@link Grader}; each weight is one of the reward's components).
 *
 * @param success       the {@code outcome} of a solved episode
 * @param partial       weight of {@code partial_credit} in an unsolved episode (1/len of a localization answer that
 *                      names the faulty service among others; 0.5 when one of the two analysis fields is right; 1
 *                      for a mitigation that fixed the cluster but was never submitted)
 * @param invalidFormat {@code invalid_format} penalty (subtracted) when no answer was accepted or it is malformed
 * @param stepCost      {@code step_cost} penalty (subtracted) per action, to prefer short episodes
 */
@ConfigurationProperties("rollout.reward")
public record RewardProperties(@DefaultValue("1.0") double success, @DefaultValue("0.5") double partial,
        @DefaultValue("0.1") double invalidFormat, @DefaultValue("0.0") double stepCost) {

    public static RewardProperties defaults() {
        return new RewardProperties(1.0, 0.5, 0.1, 0.0);
    }
}
