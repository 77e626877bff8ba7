package dev.rolloutbatch.agent.openai;

import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionSystemMessageParam;
import com.openai.models.chat.completions.ChatCompletionTool;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.ToolCall;

/** Our conversation and settings as a Chat Completions request of the official client. */
final class ChatRequests {

    private static final TypeReference<List<ChatCompletionTool>> TOOLS = new TypeReference<>() {
    };

    private ChatRequests() {
    }

    /**
     * @param messages the conversation so far, each converted by {@link #message}
     * @param tools    the OpenAI {@code tools}, or null (text protocol)
     */
    @SuppressWarnings("deprecation") // seed and max_tokens are what OpenAI-compatible servers understand
    static ChatCompletionCreateParams build(AgentSettings settings, List<ChatCompletionMessageParam> messages,
            List<ChatCompletionTool> tools, OpenAiProperties properties) {
        ChatCompletionCreateParams.Builder builder = ChatCompletionCreateParams.builder().model(settings.model())
            .messages(messages);
        if (tools != null) {
            builder.tools(tools);
        }
        if (settings.temperature() != null) {
            builder.temperature(settings.temperature());
        }
        if (settings.topP() != null) {
            builder.topP(settings.topP());
        }
        if (settings.maxTokens() != null) {
            if ("max_completion_tokens".equals(properties.maxTokensField())) {
                builder.maxCompletionTokens(settings.maxTokens().longValue());
            }
            else {
                builder.maxTokens(settings.maxTokens().longValue());
            }
        }
        if (settings.seed() != null) {
            builder.seed(settings.seed());
        }
        if (!settings.stop().isEmpty()) {
            builder.stopOfStrings(settings.stop());
        }
        if (settings.logprobs()) {
            builder.logprobs(true);
            if (properties.topLogprobs() > 0) {
                builder.topLogprobs((long) properties.topLogprobs());
            }
            // vLLM returns prompt_token_ids and choices[].token_ids with this; other servers ignore it.
            builder.putAdditionalBodyProperty("return_token_ids", JsonValue.from(true));
        }
        return builder.build();
    }

    static ChatCompletionMessageParam message(ChatMessage message) {
        String content = message.content() == null ? "" : message.content();
        return switch (message.role()) {
            case "system" -> {
                var system = ChatCompletionSystemMessageParam.builder().content(content);
                if (message.name() != null) {
                    system.name(message.name());
                }
                yield ChatCompletionMessageParam.ofSystem(system.build());
            }
            case "user" -> {
                var user = ChatCompletionUserMessageParam.builder().content(content);
                if (message.name() != null) {
                    user.name(message.name());
                }
                yield ChatCompletionMessageParam.ofUser(user.build());
            }
            case "assistant" -> ChatCompletionMessageParam.ofAssistant(assistant(message));
            case "tool" -> ChatCompletionMessageParam.ofTool(ChatCompletionToolMessageParam.builder()
                .toolCallId(message.toolCallId()).content(content).build());
            default -> throw new IllegalArgumentException("unknown message role '" + message.role() + "'");
        };
    }

    private static ChatCompletionAssistantMessageParam assistant(ChatMessage message) {
        var assistant = ChatCompletionAssistantMessageParam.builder();
        if (message.content() != null) {
            assistant.content(message.content());
        }
        else if (message.toolCalls().isEmpty()) {
            assistant.content("");
        }
        for (ToolCall call : message.toolCalls()) {
            assistant.addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(call.id())
                .function(ChatCompletionMessageFunctionToolCall.Function.builder().name(call.name())
                    .arguments(call.arguments() == null ? "{}" : call.arguments()).build())
                .build());
        }
        if (message.name() != null) {
            assistant.name(message.name());
        }
        return assistant.build();
    }

    static List<ChatCompletionTool> tools(String toolsJson) {
        try {
            return ObjectMappers.jsonMapper().readValue(toolsJson, TOOLS);
        }
        catch (com.fasterxml.jackson.core.JacksonException ex) {
            throw new IllegalArgumentException("the tools are not a valid OpenAI tools array: " + ex.getMessage(), ex);
        }
    }
}
