package dev.rolloutbatch.episode;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.rolloutbatch.agent.AgentAction;
import dev.rolloutbatch.agent.AgentTurn;
import dev.rolloutbatch.agent.PolicyException;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.agent.TextProtocol;
import dev.rolloutbatch.agent.ToolProtocol;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.LlmCallRecord;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.StepResult;
import dev.rolloutbatch.environment.TaskBrief;

/**
 * One step of an episode, the same wherever an episode is played: the policy answers the history so far, each
 * action it took is stepped in the environment (a malformed one costs the step and is answered with its error, as
 * AIOpsLab's orchestrator does), and the observations join the history. {@link EpisodeRunner} logs what happens
 * through the {@link Transcript}; the offline scripted-baseline report keeps nothing.
 */
public final class EpisodeTurn {

    static final String NO_TOOL_CALL = "Error: no tool was called. Call exactly one of the offered tools.";

    /** Told each message as it joins the history and each LLM call as it ends, in order. */
    public interface Transcript {

        Transcript NONE = new Transcript() {
            @Override
            public void message(ChatMessage message) {
            }

            @Override
            public void call(LlmCallRecord call) {
            }
        };

        void message(ChatMessage message);

        void call(LlmCallRecord call);
    }

    private EpisodeTurn() {
    }

    /** @return the submitted action, or null when the agent did not submit in this step */
    public static @Nullable String take(PolicySession policy, EnvironmentSession session, TaskBrief brief,
            List<ChatMessage> history, Transcript transcript) {
        AgentTurn turn;
        try {
            turn = policy.next(List.copyOf(history));
        }
        catch (PolicyException ex) {
            if (ex.failedCall() != null) {
                transcript.call(ex.failedCall());
            }
            throw ex;
        }
        if (turn.call() != null) {
            transcript.call(turn.call());
        }
        ChatMessage assistant = turn.assistant();
        add(history, assistant, transcript);
        List<AgentAction> actions = policy.protocol() == Protocol.TEXT
                ? List.of(TextProtocol.extract(assistant.content()))
                : ToolProtocol.extract(assistant, brief.actions());
        if (actions.isEmpty()) {
            add(history, ChatMessage.user(NO_TOOL_CALL), transcript);
            return null;
        }
        String submitted = null;
        for (AgentAction action : actions) {
            StepResult result = action.isValid() && submitted == null ? session.step(action.action())
                    : new StepResult(action.isValid() ? "Error: already submitted." : action.error(), false);
            add(history, action.toolCallId() != null ? ChatMessage.tool(action.toolCallId(), result.observation())
                    : ChatMessage.user(TextProtocol.observation(result.observation())), transcript);
            if (result.done() && submitted == null) {
                submitted = action.action();
            }
        }
        return submitted;
    }

    private static void add(List<ChatMessage> history, ChatMessage message, Transcript transcript) {
        history.add(message);
        transcript.message(message);
    }
}
