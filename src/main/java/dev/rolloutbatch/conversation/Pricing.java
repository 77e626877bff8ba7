package dev.rolloutbatch.conversation;

import java.util.Optional;

/** Prices token usage. Empty when the model is unknown: its cost is NULL, never 0. */
public interface Pricing {

    Optional<Cost> price(String model, Usage usage);
}
