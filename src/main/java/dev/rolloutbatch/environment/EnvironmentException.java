package dev.rolloutbatch.environment;

/** An environment could not do what was asked (unreachable, refused the problem, answered garbage). */
public class EnvironmentException extends RuntimeException {

    public EnvironmentException(String message) {
        super(message);
    }

    public EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
