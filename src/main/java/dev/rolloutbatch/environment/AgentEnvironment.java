package dev.rolloutbatch.environment;

import java.util.Set;

import dev.rolloutbatch.catalog.Problem;

/**
 * Where an agent acts: AIOpsLab's agent-cloud interface. Implementations are Spring beans selected by
 * {@link #name()} (the {@code environment} job parameter).
 */
public interface AgentEnvironment {

    /** The name users select it with, e.g. {@code simulated} or {@code http}. */
    String name();

    /**
     * Starts a fresh instance of the problem. Must be safe to call from many threads at once.
     *
     * @param seed makes the instance reproducible; different seeds vary the noise
     * @throws EnvironmentException when the problem cannot be started
     */
    EnvironmentSession start(Problem problem, long seed);

    /** The problem IDs this environment can start, to validate a problem list before a run. */
    Set<String> servedProblemIds();
}
