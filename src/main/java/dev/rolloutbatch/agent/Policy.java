package dev.rolloutbatch.agent;

/**
 * Who answers: an LLM behind an OpenAI-compatible endpoint, or an offline scripted baseline. Implementations are
 * Spring beans selected by {@link #name()} (the {@code policy} job parameter).
 */
public interface Policy {

    String name();

    /** Opens one conversation for one episode attempt. Must be safe to call from many threads at once. */
    PolicySession open(PolicyRequest request);

    /**
     * Checked before a run starts, so that a run that cannot work fails at once with a clear message instead of
     * failing every episode.
     *
     * @throws IllegalStateException naming what is wrong (e.g. an endpoint that does not answer)
     */
    default void checkReady() {
    }

    /**
     * Whether this policy could answer as configured, without touching the network (e.g. an LLM endpoint with
     * the key it needs). The HTTP API refuses tasks for a policy that is not.
     */
    default boolean isConfigured() {
        return true;
    }

    /**
     * Whether the application's configuration (not the shell's environment) asks for this policy, e.g. an
     * endpoint set in {@code rollout.openai.base-url}; {@link PolicyChoice} then makes it the default.
     */
    default boolean requestedByConfiguration() {
        return false;
    }
}
