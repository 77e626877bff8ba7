package dev.rolloutbatch.agent.openai;

import java.net.URI;
import java.util.List;

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
    private final ChatRequestBody body;
    private final URI uri;

    OpenAiSession(PolicyRequest request, CompletionClient client, URI uri, OpenAiProperties properties,
            TokenEstimator tokens) {
        this.request = request;
        this.settings = request.settings();
        this.client = client;
        this.properties = properties;
        this.tokens = tokens;
        this.toolsJson = settings.protocol() == Protocol.TOOLS ? ToolProtocol.toolsJson(request.brief().actions())
                : null;
        this.body = new ChatRequestBody(settings, toolsJson, properties);
        this.uri = uri;
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
            completion = client.complete(uri, body.forHistory(history), estimate);
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

    private long estimatePrompt(List<ChatMessage> history) {
        long count = 3;
        for (ChatMessage message : history) {
            count += 4 + tokens.count(message.content());
        }
        return count + (toolsJson == null ? 0 : tokens.count(toolsJson));
    }
}
