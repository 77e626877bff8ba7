package dev.rolloutbatch.envservice;

import java.time.Instant;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

import dev.rolloutbatch.agent.AgentSettingsJson;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.ConversationLog;
import dev.rolloutbatch.conversation.ConversationStart;
import dev.rolloutbatch.conversation.ConversationStatus;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.episode.Episode;
import dev.rolloutbatch.episode.EpisodeRepository;
import dev.rolloutbatch.episode.EpisodeResult;
import dev.rolloutbatch.episode.EpisodeStatus;
import dev.rolloutbatch.episode.FailureClass;
import dev.rolloutbatch.episode.NewEpisode;
import dev.rolloutbatch.episode.ProcessName;

/**
 * Logs a session like an episode of a run: an {@code episode} row (source {@code session}, no run), claimed at
 * once by this server; one conversation whose messages are the opening prompt, each action as the assistant's
 * answer and each observation as the user's reply; and at the end the result with its evaluation.
 */
@Component
@Profile("serve")
class SessionLog {

    static final String SOURCE = "session";
    static final String POLICY = "external";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EpisodeRepository episodes;
    private final ConversationLog conversations;
    private final String workerId;

    SessionLog(EpisodeRepository episodes, ConversationLog conversations) {
        this.episodes = episodes;
        this.conversations = conversations;
        this.workerId = ProcessName.current() + "-envservice";
    }

    /** Inserts and claims the episode; the caller opens the conversation once the environment has started. */
    Episode begin(NewEpisode episode) {
        long id = episodes.insert(episode);
        return episodes.claim(id, workerId)
            .orElseThrow(() -> new IllegalStateException("session episode " + id + " was claimed by someone else"));
    }

    void open(LiveSession s) {
        conversations.open(new ConversationStart(s.conversationId, s.episode.id(), s.episode.attempt(), POLICY,
                s.episode.settings().model(), Protocol.TEXT.id(), AgentSettingsJson.write(s.episode.settings()),
                null, Instant.now()));
        s.opening.forEach(message -> append(s, message));
    }

    void append(LiveSession s, ChatMessage message) {
        conversations.append(s.conversationId, s.messageSeq++, s.steps, message, Instant.now());
    }

    void heartbeat(LiveSession s) {
        episodes.heartbeat(s.episode.id());
    }

    /** The episode's result: completed with both gradings. Returns once the conversation is durable. */
    void completed(LiveSession s, Evaluation graded) {
        conversations.close(s.conversationId, ConversationStatus.COMPLETED, Instant.now());
        conversations.sync();
        episodes.finish(new EpisodeResult(s.episode.id(), s.conversationId, EpisodeStatus.COMPLETED, s.steps,
                graded.success(), graded.reward(), null, FailureClass.ofGraded(graded, s.submission), null),
                s.episode.attempt(),
                JSON.writeValueAsString(graded.toStored()), s.submission);
    }

    /** The session ended without an evaluation (deleted, idle, server stopping). */
    void ended(LiveSession s, EpisodeStatus status, String reason) {
        conversations.close(s.conversationId, ConversationStatus.FAILED, Instant.now());
        conversations.sync();
        FailureClass failure = switch (status) {
            case TIMEOUT -> FailureClass.AGENT_TIMEOUT;
            case CANCELLED -> null;
            default -> FailureClass.INFRASTRUCTURE_ENVIRONMENT;
        };
        episodes.finish(new EpisodeResult(s.episode.id(), s.conversationId, status, s.steps, false, 0.0, reason,
                failure, null), s.episode.attempt(), null, s.submission);
    }

    /** A session whose environment could not start: the claimed episode ends failed, without a conversation. */
    void failedToStart(Episode episode, String reason) {
        episodes.finish(new EpisodeResult(episode.id(), null, EpisodeStatus.FAILED, 0, false, 0.0, reason,
                FailureClass.INFRASTRUCTURE_ENVIRONMENT, null), episode.attempt(), null, null);
    }

    int endStale(Instant staleBefore) {
        return episodes.endStale(SOURCE, staleBefore, EpisodeStatus.FAILED,
                "environment service stopped before the session ended");
    }
}
