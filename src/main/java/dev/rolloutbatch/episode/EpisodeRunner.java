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

import dev.rolloutbatch.agent.AgentAction;
import dev.rolloutbatch.agent.AgentSettingsJson;
import dev.rolloutbatch.agent.AgentTurn;
import dev.rolloutbatch.agent.Policies;
import dev.rolloutbatch.agent.PolicyException;
import dev.rolloutbatch.agent.PolicyRequest;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.agent.TextProtocol;
import dev.rolloutbatch.agent.ToolProtocol;
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
import dev.rolloutbatch.environment.StepResult;
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

    static final String NO_TOOL_CALL = "Error: no tool was called. Call exactly one of the offered tools.";

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
        Attempt attempt = new Attempt(episode);
        EpisodeResult result;
        try {
            result = attempt.play(cancelled);
        }
        catch (ConversationLogException | DataAccessException ex) {
            // The database is unreachable: nothing can be recorded. The episode stays running and a restart
            // runs it again.
            throw ex;
        }
        catch (PolicyException ex) {
            result = attempt.end(EpisodeStatus.FAILED, ex.getMessage());
        }
        catch (EnvironmentException ex) {
            result = attempt.end(EpisodeStatus.FAILED, "environment: " + ex.getMessage());
        }
        catch (RuntimeException ex) {
            log.error("Episode {} ({}) failed unexpectedly", episode.id(), episode.problemId(), ex);
            result = attempt.end(EpisodeStatus.FAILED, ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
        return result;
    }

    /** One attempt's state: its conversation, message and call counters, steps and cost so far. */
    private final class Attempt {

        private final Episode episode;
        private final UUID conversationId = UUID.randomUUID();
        private final Instant deadline;
        private boolean opened;
        private int messageSeq;
        private int callSeq;
        private int steps;
        private BigDecimal cost = BigDecimal.ZERO;
        private boolean costKnown = true;

        Attempt(Episode episode) {
            this.episode = episode;
            this.deadline = Instant.now().plus(Duration.ofSeconds(episode.timeoutSeconds()));
        }

        EpisodeResult play(BooleanSupplier cancelled) {
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
                    if (cancelled.getAsBoolean()) {
                        return end(EpisodeStatus.CANCELLED, "cancelled");
                    }
                    if (Instant.now().isAfter(deadline)) {
                        return graded(session, EpisodeStatus.TIMEOUT, "timeout after " + episode.timeoutSeconds() + "s",
                                null);
                    }
                    steps++;
                    solution = turn(policy, session, brief, history);
                }
                return graded(session, EpisodeStatus.COMPLETED, null, solution);
            }
        }

        /**
         * Grades the episode as it stands, also when the agent never submitted: AIOpsLab judges a mitigation on the
         * cluster's state whether or not the agent submitted (orchestrator.py {@code start_problem}).
         */
        private EpisodeResult graded(EnvironmentSession session, EpisodeStatus status, String reason, String solution) {
            Evaluation evaluation = session.evaluate().forEpisode(steps, episode.maxSteps(), solution);
            String evaluationJson = JSON.writeValueAsString(evaluation.toStored());
            return finish(new EpisodeResult(episode.id(), conversationId, status, steps, evaluation.success(),
                    evaluation.reward(), reason, costOrNull()), evaluationJson, solution);
        }

        /** One step: the policy answers, the environment observes. Returns the submitted action, if any. */
        private String turn(PolicySession policy, EnvironmentSession session, TaskBrief brief,
                List<ChatMessage> history) {
            AgentTurn turn;
            try {
                turn = policy.next(List.copyOf(history));
            }
            catch (PolicyException ex) {
                if (ex.failedCall() != null) {
                    record(ex.failedCall());
                }
                throw ex;
            }
            if (turn.call() != null) {
                record(turn.call());
            }
            ChatMessage assistant = turn.assistant();
            add(history, assistant);
            List<AgentAction> actions = policy.protocol() == Protocol.TEXT
                    ? List.of(TextProtocol.extract(assistant.content()))
                    : ToolProtocol.extract(assistant, brief.actions());
            if (actions.isEmpty()) {
                add(history, ChatMessage.user(NO_TOOL_CALL));
                return null;
            }
            String submitted = null;
            for (AgentAction action : actions) {
                StepResult result = action.isValid() && submitted == null ? session.step(action.action())
                        : new StepResult(action.isValid() ? "Error: already submitted." : action.error(), false);
                add(history, action.toolCallId() != null ? ChatMessage.tool(action.toolCallId(), result.observation())
                        : ChatMessage.user(TextProtocol.observation(result.observation())));
                if (result.done() && submitted == null) {
                    submitted = action.action();
                }
            }
            return submitted;
        }

        private void add(List<ChatMessage> history, ChatMessage message) {
            history.add(message);
            conversations.append(conversationId, messageSeq++, steps, message, Instant.now());
        }

        private void record(LlmCallRecord call) {
            Optional<Cost> price = conversations.recordCall(conversationId, callSeq++, steps, call);
            if (price.isPresent()) {
                cost = cost.add(price.get().total());
            }
            else {
                costKnown = false;
            }
        }

        private BigDecimal costOrNull() {
            return costKnown ? cost : null;
        }

        /** An attempt that could not be graded: no success and a reward of 0, so that no reward is ever null. */
        EpisodeResult end(EpisodeStatus status, String reason) {
            return finish(new EpisodeResult(episode.id(), conversationId, status, steps, false, 0.0, reason,
                    costOrNull()), null, null);
        }

        private EpisodeResult finish(EpisodeResult result, String evaluationJson, String solution) {
            if (opened) {
                conversations.close(conversationId, result.status() == EpisodeStatus.COMPLETED
                        ? ConversationStatus.COMPLETED : ConversationStatus.FAILED, Instant.now());
                conversations.sync();
            }
            episodes.finish(result, episode.attempt(), evaluationJson, solution);
            return result;
        }
    }
}
