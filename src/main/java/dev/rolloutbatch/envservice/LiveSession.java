package dev.rolloutbatch.envservice;

import java.util.List;
import java.util.UUID;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.episode.Episode;

/**
 * One open session: the environment instance and its episode's bookkeeping. Its methods are called under the
 * session's own lock ({@code synchronized (session)}), so one session's requests are served one at a time.
 */
final class LiveSession {

    final String id;
    final UUID conversationId;
    final Episode episode;
    final Problem problem;
    final EnvironmentSession environment;
    final List<ChatMessage> opening;
    final int maxSteps;
    int steps;
    int messageSeq;
    String submission;
    Evaluation evaluation;
    boolean ended;
    volatile long lastUsedNanos = System.nanoTime();

    LiveSession(UUID conversationId, Episode episode, Problem problem, EnvironmentSession environment,
            List<ChatMessage> opening, int maxSteps) {
        this.id = conversationId.toString();
        this.conversationId = conversationId;
        this.episode = episode;
        this.problem = problem;
        this.environment = environment;
        this.opening = opening;
        this.maxSteps = maxSteps;
    }

    void touch() {
        lastUsedNanos = System.nanoTime();
    }

    boolean submitted() {
        return submission != null;
    }
}
