package dev.rolloutbatch.agent.openai;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.ToolCall;
import dev.rolloutbatch.conversation.Usage;

/** Reads what we log from a Chat Completions response body (as a JSON tree, to keep server extras). */
final class ChatResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ChatResponses() {
    }

    /**
     * @param usage     normalised, or null when the server reported none
     * @param rawUsage  the usage object as sent, or null
     * @param tokenIds  {@code {"prompt_token_ids": [...], "response_token_ids": [...]}} (vLLM), or null
     * @param logprobs  the choice's {@code logprobs.content} array, or null
     */
    record Reply(ChatMessage assistant, @Nullable String responseId, @Nullable String modelReported,
            @Nullable String finishReason, Usage usage, @Nullable String rawUsage, @Nullable String tokenIds,
            @Nullable String logprobs) {
    }

    /** @throws MalformedResponseException when the body has no first choice with a message */
    static Reply read(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        }
        catch (RuntimeException ex) {
            throw new MalformedResponseException("the completion is not valid JSON");
        }
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (!message.isObject()) {
            throw new MalformedResponseException("the completion has no choices[0].message");
        }
        List<ToolCall> toolCalls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            JsonNode arguments = function.path("arguments");
            toolCalls.add(new ToolCall(text(call.path("id")), text(function.path("name")),
                    arguments.isString() ? arguments.asString() : arguments.isMissingNode() || arguments.isNull()
                            ? "{}" : JSON.writeValueAsString(arguments)));
        }
        ChatMessage assistant = ChatMessage.assistant(text(message.path("content")), toolCalls);
        JsonNode usage = root.path("usage");
        return new Reply(assistant, text(root.path("id")), text(root.path("model")),
                text(choice.path("finish_reason")), UsageNormalizer.normalize(usage),
                usage.isObject() ? JSON.writeValueAsString(usage) : null, tokenIds(root, choice),
                logprobs(choice));
    }

    private static @Nullable String tokenIds(JsonNode root, JsonNode choice) {
        JsonNode prompt = root.path("prompt_token_ids");
        JsonNode response = choice.path("token_ids");
        if (!prompt.isArray() && !response.isArray()) {
            return null;
        }
        ObjectNode ids = JSON.createObjectNode();
        ids.set("prompt_token_ids", prompt.isArray() ? prompt : null);
        ids.set("response_token_ids", response.isArray() ? response : null);
        return JSON.writeValueAsString(ids);
    }

    private static @Nullable String logprobs(JsonNode choice) {
        JsonNode content = choice.path("logprobs").path("content");
        return content.isArray() ? JSON.writeValueAsString(content) : null;
    }

    private static @Nullable String text(@Nullable JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asString();
    }

    /** The server answered 2xx with something that is not a completion (retried like a 5xx). */
    static final class MalformedResponseException extends RuntimeException {

        MalformedResponseException(String message) {
            super(message);
        }
    }
}
