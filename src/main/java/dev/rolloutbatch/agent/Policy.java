package dev.rolloutbatch.agent;

/**
 * Who answers: an LLM behind an OpenAI-compatible endpoint, or an offline scripted baseline. Implementations are
 * Spring beans selected by {@link #name()} (the {@code policy} job parameter).
 */
public interface Policy {

    String name();

    /** Opens one conversation for one episode attempt. Must be safe to call from many threads at once. */
    PolicySession open(PolicyRequest request);
}
