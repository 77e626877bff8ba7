package dev.rolloutbatch.episode;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.rolloutbatch.agent.PolicyException;
import dev.rolloutbatch.environment.Evaluation;

/**
 * Why an episode did not succeed, as stored in {@code episode.failure_class}: {@code infrastructure:<kind>} when
 * the endpoint or the environment failed (the data says nothing about the agent; the same command runs these
 * episodes again), {@code agent:<kind>} when the agent did (a result, kept).
 */
public enum FailureClass {

    INFRASTRUCTURE_UNREACHABLE, INFRASTRUCTURE_AUTH, INFRASTRUCTURE_QUOTA, INFRASTRUCTURE_SERVER_ERROR,
    INFRASTRUCTURE_MALFORMED_RESPONSE, INFRASTRUCTURE_ENVIRONMENT,
    AGENT_WRONG_ANSWER, AGENT_STEPS_EXHAUSTED, AGENT_TIMEOUT, AGENT_INVALID_FORMAT, AGENT_NO_SUBMISSION;

    static final String INFRASTRUCTURE_PREFIX = "infrastructure:";

    /** {@code infrastructure:auth}, {@code agent:wrong_answer}, ... */
    public String id() {
        String name = name().toLowerCase(Locale.ROOT);
        int split = name.indexOf('_');
        return name.substring(0, split) + ":" + name.substring(split + 1);
    }

    public boolean isInfrastructure() {
        return id().startsWith(INFRASTRUCTURE_PREFIX);
    }

    public static FailureClass fromId(String id) {
        return valueOf(id.replace(':', '_').toUpperCase(Locale.ROOT));
    }

    /** A policy that could not answer; a context-length error ends the agent's attempt without a submission. */
    static FailureClass of(PolicyException.Kind kind) {
        return switch (kind == null ? PolicyException.Kind.SERVER_ERROR : kind) {
            case UNREACHABLE -> INFRASTRUCTURE_UNREACHABLE;
            case AUTH -> INFRASTRUCTURE_AUTH;
            case QUOTA -> INFRASTRUCTURE_QUOTA;
            case SERVER_ERROR -> INFRASTRUCTURE_SERVER_ERROR;
            case MALFORMED_RESPONSE -> INFRASTRUCTURE_MALFORMED_RESPONSE;
            case CONTEXT_LENGTH -> AGENT_NO_SUBMISSION;
        };
    }

    /** Why a graded episode did not succeed; null when it did. */
    public static @Nullable FailureClass ofGraded(Evaluation evaluation, String solution) {
        if (evaluation.success()) {
            return null;
        }
        if (solution == null) {
            return FailureClass.AGENT_STEPS_EXHAUSTED;
        }
        // AIOpsLab grades an unreadable answer "Invalid Format" (aiopslab/orchestrator/tasks/detection.py).
        return String.valueOf(evaluation.results()).contains("Invalid Format") ? FailureClass.AGENT_INVALID_FORMAT
                : FailureClass.AGENT_WRONG_ANSWER;
    }
}
