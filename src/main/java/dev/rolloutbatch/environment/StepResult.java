package dev.rolloutbatch.environment;

/**
 * @param done true once the agent has submitted a well-formed answer
 */
public record StepResult(String observation, boolean done) {
}
