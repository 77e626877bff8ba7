package dev.rolloutbatch.agent.openai;

import java.util.ArrayList;
import java.util.List;

import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionTool;

import dev.rolloutbatch.agent.AgentPrompts;
import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.AgentTurn;
import dev.rolloutbatch.agent.PolicyException;
import dev.rolloutbatch.agent.PolicyRequest;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.agent.ToolProtocol;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.LlmCallRecord;
import dev.rolloutbatch.conversation.TokenEstimator;
import dev.rolloutbatch.conversation.Usage;
import dev.rolloutbatch.environment.TaskBrief;

/** One episode's conversation with the endpoint: every {@link #next} is one logged completion request. */
final class OpenAiSession implements PolicySession {

    private final PolicyRequest request;
    private final AgentSettings settings;
    private final CompletionClient client;
    private final OpenAiProperties properties;
    private final TokenEstimator tokens;
    private final String toolsJson;
    private final List<ChatCompletionTool> tools;
    /** The history last sent, and each of its messages as the client's type: a step converts only what is new. */
    private final List<ChatMessage> converted = new ArrayList<>();
    private final List<ChatCompletionMessageParam> messages = new ArrayList<>();

    OpenAiSession(PolicyRequest request, CompletionClient client, OpenAiProperties properties,
            TokenEstimator tokens) {
        this.request = request;
        this.settings = request.settings();
        this.client = client;
        this.properties = properties;
        this.tokens = tokens;
        this.toolsJson = settings.protocol() == Protocol.TOOLS ? ToolProtocol.toolsJson(request.brief().actions())
                : null;
        this.tools = toolsJson == null ? null : ChatRequests.tools(toolsJson);
    }

    @Override
    public String model() {
        return settings.model();
    }

    @Override
    public Protocol protocol() {
        return settings.protocol();
    }

    @Override
    public String toolsJson() {
        return toolsJson;
    }

    @Override
    public List<ChatMessage> initialMessages() {
        // Switch to AgentPrompts.initialMessages(request.problem(), request.brief(), protocol()) once merged.
        return AgentPrompts.initialMessages(request.problem(), request.brief(), protocol());
    }

    @Override
    public AgentTurn next(List<ChatMessage> history) {
        // Only a tokens-per-minute limit uses the estimate; tokenizing the whole history on every call is the
        // largest CPU cost of a call otherwise (and grows with the conversation).
        long estimate = properties.tokensPerMinute() <= 0 ? 0
                : estimatePrompt(history) + (settings.maxTokens() == null ? 0 : settings.maxTokens());
        CompletionClient.Completion completion;
        try {
            completion = client.complete(ChatRequests.build(settings, messages(history), tools, properties), estimate);
        }
        catch (CompletionClient.CompletionFailure failure) {
            LlmCallRecord failed = new LlmCallRecord(failure.requestId(), settings.model(), null, failure.startedAt(),
                    failure.latencyMs(), null, failure.attempts(), Usage.ZERO, null, null, null, failure.getMessage());
            throw new PolicyException(failure.getMessage(), failure.kind(), failed, null);
        }
        ChatResponses.Reply reply = completion.reply();
        Usage usage = reply.usage() != null ? reply.usage() : tokens.estimate(history, reply.assistant());
        String requestId = reply.responseId() != null ? reply.responseId() : completion.requestId();
        LlmCallRecord call = new LlmCallRecord(requestId, settings.model(), reply.modelReported(),
                completion.startedAt(), completion.latencyMs(), reply.finishReason(), completion.attempts(), usage,
                reply.rawUsage(), reply.tokenIds(), reply.logprobs(), null);
        return new AgentTurn(reply.assistant(), call);
    }

    private List<ChatCompletionMessageParam> messages(List<ChatMessage> history) {
        int kept = 0;
        while (kept < converted.size() && kept < history.size() && converted.get(kept) == history.get(kept)) {
            kept++;
        }
        converted.subList(kept, converted.size()).clear();
        messages.subList(kept, messages.size()).clear();
        for (ChatMessage message : history.subList(kept, history.size())) {
            converted.add(message);
            messages.add(ChatRequests.message(message));
        }
        return List.copyOf(messages);
    }

    private long estimatePrompt(List<ChatMessage> history) {
        long count = 3;
        for (ChatMessage message : history) {
            count += 4 + tokens.count(message.content());
        }
        return count + (toolsJson == null ? 0 : tokens.count(toolsJson));
    }
}
