package dev.rolloutbatch.episode;

import java.math.BigDecimal;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/** What the caller of {@link EpisodeRunner#run} may say about an attempt while it runs, and hears from it. */
public interface AttemptControl {

    /** Asked before every step: true ends the attempt as {@code cancelled}. */
    default boolean cancelRequested() {
        return false;
    }

    /**
     * Asked before every step: a reason (e.g. the budget is spent) ends the attempt without a result; its
     * conversation is kept as aborted, with its cost, and the episode is pending again.
     */
    default @Nullable String stopReason() {
        return null;
    }

    /**
     * Told after every LLM call, once its row is durable.
     *
     * @param costUsd the call's cost, null when its model has no price
     * @param answered whether the call got a valid completion
     */
    default void callEnded(@Nullable BigDecimal costUsd, boolean answered) {
    }

    static AttemptControl cancelledWhen(BooleanSupplier cancelled) {
        return new AttemptControl() {
            @Override
            public boolean cancelRequested() {
                return cancelled.getAsBoolean();
            }
        };
    }
}
