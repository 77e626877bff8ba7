package dev.rolloutbatch.episode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.agent.AgentSettingsJson;
import dev.rolloutbatch.agent.Policies;
import dev.rolloutbatch.agent.PolicyException;
import dev.rolloutbatch.agent.PolicyRequest;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.ConversationLog;
import dev.rolloutbatch.conversation.ConversationLogException;
import dev.rolloutbatch.conversation.ConversationStart;
import dev.rolloutbatch.conversation.ConversationStatus;
import dev.rolloutbatch.conversation.Cost;
import dev.rolloutbatch.conversation.LlmCallRecord;
import dev.rolloutbatch.environment.EnvironmentException;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Environments;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.environment.TaskBrief;

/**
 * Runs one claimed episode attempt end to end: starts the problem, lets the policy and the environment take
 * turns, logs every message and LLM call as it happens, grades the episode and records the result.
 * <p>
 * An agent that fails the problem is a result ({@code completed}, success false). An attempt that cannot get a
 * result ends {@code failed}, {@code timeout} or {@code cancelled} with the reason. Only a broken conversation
 * log or a failed database write (the database is gone) escapes as an exception: then nothing can be recorded,
 * and the caller must stop.
 */
@Component
public class EpisodeRunner {

    private static final Logger log = LoggerFactory.getLogger(EpisodeRunner.class);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProblemCatalog catalog;
    private final Environments environments;
    private final Policies policies;
    private final ConversationLog conversations;
    private final EpisodeRepository episodes;

    public EpisodeRunner(ProblemCatalog catalog, Environments environments, Policies policies,
            ConversationLog conversations, EpisodeRepository episodes) {
        this.catalog = catalog;
        this.environments = environments;
        this.policies = policies;
        this.conversations = conversations;
        this.episodes = episodes;
    }

    /**
     * @param episode   claimed by the caller (status running, attempt counted)
     * @param cancelled asked before every step; true ends the attempt as cancelled
     */
    public EpisodeResult run(Episode episode, BooleanSupplier cancelled) {
        return run(episode, AttemptControl.cancelledWhen(cancelled));
    }

    /**
     * @param episode claimed by the caller (status running, attempt counted)
     * @param control asked before every step, told after every LLM call
     */
    public EpisodeResult run(Episode episode, AttemptControl control) {
        Attempt attempt = new Attempt(episode, control);
        EpisodeResult result;
        try {
            result = attempt.play();
        }
        catch (ConversationLogException | DataAccessException ex) {
            // The database is unreachable: nothing can be recorded. The episode stays running and a restart
            // runs it again.
            throw ex;
        }
        catch (PolicyException ex) {
            result = attempt.end(EpisodeStatus.FAILED, ex.getMessage(), FailureClass.of(ex.kind()));
        }
        catch (EnvironmentException ex) {
            result = attempt.end(EpisodeStatus.FAILED, "environment: " + ex.getMessage(),
                    FailureClass.INFRASTRUCTURE_ENVIRONMENT);
        }
        catch (RuntimeException ex) {
            log.error("Episode {} ({}) failed unexpectedly", episode.id(), episode.problemId(), ex);
            result = attempt.end(EpisodeStatus.FAILED, ex.getClass().getSimpleName() + ": " + ex.getMessage(),
                    FailureClass.INFRASTRUCTURE_ENVIRONMENT);
        }
        return result;
    }

    /** One attempt's state: its conversation, message and call counters, steps and cost so far. */
    private final class Attempt {

        private final Episode episode;
        private final AttemptControl control;
        private final UUID conversationId = UUID.randomUUID();
        private final Instant deadline;
        private boolean opened;
        private int messageSeq;
        private int callSeq;
        private int steps;
        private BigDecimal cost = BigDecimal.ZERO;
        private boolean costKnown = true;

        Attempt(Episode episode, AttemptControl control) {
            this.episode = episode;
            this.control = control;
            this.deadline = Instant.now().plus(Duration.ofSeconds(episode.timeoutSeconds()));
        }

        EpisodeResult play() {
            Problem problem = catalog.get(episode.problemId());
            try (EnvironmentSession session = environments.get(episode.environment()).start(problem, episode.seed())) {
                TaskBrief brief = session.brief();
                PolicySession policy = policies.get(episode.policy())
                    .open(new PolicyRequest(problem, brief, episode.settings(), episode.seed()));
                conversations.open(new ConversationStart(conversationId, episode.id(), episode.attempt(),
                        episode.policy(), policy.model(), policy.protocol().id(),
                        AgentSettingsJson.write(episode.settings()), policy.toolsJson(), Instant.now()));
                opened = true;
                List<ChatMessage> history = new ArrayList<>();
                for (ChatMessage message : policy.initialMessages()) {
                    add(history, message);
                }
                String solution = null;
                while (solution == null && steps < episode.maxSteps()) {
                    if (control.cancelRequested()) {
                        return end(EpisodeStatus.CANCELLED, "cancelled", null);
                    }
                    String stop = control.stopReason();
                    if (stop != null) {
                        return end(EpisodeStatus.PENDING, "stopped before step " + (steps + 1) + ": " + stop, null);
                    }
                    if (Instant.now().isAfter(deadline)) {
                        return graded(session, EpisodeStatus.TIMEOUT, "timeout after " + episode.timeoutSeconds() + "s",
                                null, FailureClass.AGENT_TIMEOUT);
                    }
                    steps++;
                    solution = turn(policy, session, brief, history);
                }
                return graded(session, EpisodeStatus.COMPLETED, null, solution, null);
            }
        }

        /**
         * Grades the episode as it stands, also when the agent never submitted: AIOpsLab judges a mitigation on the
         * cluster's state whether or not the agent submitted (orchestrator.py {@code start_problem}). A failure is
         * the given class when there is one (a timeout), else the agent's as the evaluation tells it.
         */
        private EpisodeResult graded(EnvironmentSession session, EpisodeStatus status, String reason, String solution,
                FailureClass failure) {
            Evaluation evaluation = session.evaluate().forEpisode(steps, episode.maxSteps(), solution);
            String evaluationJson = JSON.writeValueAsString(evaluation.toStored());
            FailureClass failureClass = evaluation.success() ? null
                    : failure != null ? failure : FailureClass.ofGraded(evaluation, solution);
            return finish(new EpisodeResult(episode.id(), conversationId, status, steps, evaluation.success(),
                    evaluation.reward(), reason, failureClass, costOrNull()), evaluationJson, solution);
        }

        /** One step through the shared {@link EpisodeTurn}, logging every message and call. */
        private String turn(PolicySession policy, EnvironmentSession session, TaskBrief brief,
                List<ChatMessage> history) {
            return EpisodeTurn.take(policy, session, brief, history, new EpisodeTurn.Transcript() {
                @Override
                public void message(ChatMessage message) {
                    logMessage(message);
                }

                @Override
                public void call(LlmCallRecord call) {
                    record(call);
                }
            });
        }

        private void add(List<ChatMessage> history, ChatMessage message) {
            history.add(message);
            logMessage(message);
        }

        private void logMessage(ChatMessage message) {
            conversations.append(conversationId, messageSeq++, steps, message, Instant.now());
        }

        /**
         * Logs the call; one that cost money (or has no price) is made durable before anything else happens, so
         * that a process killed at any moment loses track of no more than the calls it had in flight.
         */
        private void record(LlmCallRecord call) {
            Optional<Cost> price = conversations.recordCall(conversationId, callSeq++, steps, call);
            BigDecimal callCost = price.map(Cost::total).orElse(null);
            if (callCost != null) {
                cost = cost.add(callCost);
            }
            else {
                costKnown = false;
            }
            if (callCost == null || callCost.signum() != 0) {
                conversations.sync();
            }
            control.callEnded(callCost, call.error() == null);
        }

        private BigDecimal costOrNull() {
            return costKnown ? cost : null;
        }

        /** An attempt that could not be graded: no success and a reward of 0, so that no reward is ever null. */
        EpisodeResult end(EpisodeStatus status, String reason, FailureClass failureClass) {
            return finish(new EpisodeResult(episode.id(), conversationId, status, steps, false, 0.0, reason,
                    failureClass, costOrNull()), null, null);
        }

        private EpisodeResult finish(EpisodeResult result, String evaluationJson, String solution) {
            if (opened) {
                ConversationStatus status = switch (result.status()) {
                    case COMPLETED -> ConversationStatus.COMPLETED;
                    case PENDING -> ConversationStatus.ABORTED;
                    default -> ConversationStatus.FAILED;
                };
                conversations.close(conversationId, status, Instant.now());
                conversations.sync();
            }
            episodes.finish(result, episode.attempt(), evaluationJson, solution);
            return result;
        }
    }
}
