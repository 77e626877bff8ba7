package dev.rolloutbatch.agent;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.rolloutbatch.conversation.ChatMessage;

/** One conversation of a policy with an environment, driven turn by turn by the episode runner. */
public interface PolicySession {

    /** The model name logged for this conversation ({@code scripted-baseline} for the offline policy). */
    String model();

    Protocol protocol();

    /** The tools offered to the model as a JSON array string (OpenAI {@code tools}), or null for none. */
    @Nullable String toolsJson();

    /** The system and user messages that open the conversation. */
    List<ChatMessage> initialMessages();

    /**
     * The next assistant turn given the whole conversation so far.
     *
     * @throws PolicyException when no answer could be had (retries exhausted, context too long, budget spent)
     */
    AgentTurn next(List<ChatMessage> history);
}
