package dev.rolloutbatch.agent.openai;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.BoundedCache;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.ToolCall;

/**
 * One episode's Chat Completions request body, built incrementally: the settings are written once, and each
 * message once when it first appears in the history, so that a step serialises only what is new instead of the
 * whole conversation (which grows with every observation).
 */
final class ChatRequestBody {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final byte COMMA = ',';

    /** The messages before the agent's first answer: the same for every episode of a problem. */
    private static final int OPENING = 2;

    /**
     * JSON that many episodes send alike (the settings and tools, the opening messages) is written once and
     * shared by their requests: a thousand episodes in flight hold one copy.
     */
    private static final BoundedCache<Object, byte[]> SHARED = new BoundedCache<>(256);

    /** {@code {"model":...,"messages":[} */
    private final byte[] head;
    /** {@code ],"temperature":...}} */
    private final byte[] tail;
    /** The history last sent, and each of its messages as JSON: a step converts only what is new. */
    private final List<ChatMessage> converted = new ArrayList<>();
    private final List<byte[]> messages = new ArrayList<>();

    /**
     * @param toolsJson the OpenAI {@code tools} array, or null (text protocol)
     * @throws IllegalArgumentException when the tools are not a JSON array
     */
    ChatRequestBody(AgentSettings settings, String toolsJson, OpenAiProperties properties) {
        List<Object> key = Arrays.asList(settings, toolsJson, properties.maxTokensField(), properties.topLogprobs());
        this.head = SHARED.get(List.of("head", settings.model()), k -> {
            String withModel = JSON.writeValueAsString(JSON.createObjectNode().put("model", settings.model()));
            return (withModel.substring(0, withModel.length() - 1) + ",\"messages\":[")
                .getBytes(StandardCharsets.UTF_8);
        });
        this.tail = SHARED.get(key, k -> {
            ObjectNode rest = settings(settings, toolsJson, properties);
            String restJson = JSON.writeValueAsString(rest);
            return ("]" + (rest.isEmpty() ? "}" : "," + restJson.substring(1))).getBytes(StandardCharsets.UTF_8);
        });
    }

    /**
     * The request for this history: the cached JSON of the messages already seen, plus the new ones, as the parts
     * to send one after the other (no copy of the whole conversation per request).
     */
    Parts forHistory(List<ChatMessage> history) {
        int kept = 0;
        while (kept < converted.size() && kept < history.size() && converted.get(kept) == history.get(kept)) {
            kept++;
        }
        converted.subList(kept, converted.size()).clear();
        messages.subList(kept, messages.size()).clear();
        for (ChatMessage message : history.subList(kept, history.size())) {
            // Each message after the first carries the comma that separates it from the one before.
            boolean comma = !messages.isEmpty();
            messages.add(messages.size() < OPENING ? SHARED.get(new Opening(message, comma), k -> json(message, comma))
                    : json(message, comma));
            converted.add(message);
        }
        byte[][] parts = new byte[messages.size() + 2][];
        parts[0] = head;
        int length = head.length + tail.length;
        for (int i = 0; i < messages.size(); i++) {
            parts[i + 1] = messages.get(i);
            length += parts[i + 1].length;
        }
        parts[parts.length - 1] = tail;
        return new Parts(List.of(parts), length);
    }

    private static byte[] json(ChatMessage message, boolean comma) {
        ByteArrayOutputStream json = new ByteArrayOutputStream(256);
        if (comma) {
            json.write(COMMA);
        }
        JSON.writeValue(json, message(message));
        return json.toByteArray();
    }

    /** An opening message (system prompt, task) as it appears in a request. */
    private record Opening(ChatMessage message, boolean comma) {
    }

    /** A request body in parts, sent in order; {@code length} bytes in all. */
    record Parts(List<byte[]> parts, int length) {

        byte[] concatenated() {
            byte[] body = new byte[length];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, body, at, part.length);
                at += part.length;
            }
            return body;
        }
    }

    /** Everything but the model and the messages, in the request's field names. */
    private static ObjectNode settings(AgentSettings settings, String toolsJson, OpenAiProperties properties) {
        ObjectNode body = JSON.createObjectNode();
        if (toolsJson != null) {
            body.set("tools", tools(toolsJson));
        }
        if (settings.temperature() != null) {
            body.put("temperature", settings.temperature());
        }
        if (settings.topP() != null) {
            body.put("top_p", settings.topP());
        }
        if (settings.maxTokens() != null) {
            body.put(properties.maxTokensField(), settings.maxTokens().longValue());
        }
        if (settings.seed() != null) {
            body.put("seed", settings.seed());
        }
        if (!settings.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            settings.stop().forEach(stop::add);
        }
        if (settings.logprobs()) {
            body.put("logprobs", true);
            if (properties.topLogprobs() > 0) {
                body.put("top_logprobs", properties.topLogprobs());
            }
            // vLLM returns prompt_token_ids and choices[].token_ids with this; other servers ignore it.
            body.put("return_token_ids", true);
        }
        return body;
    }

    /** One message in the Chat Completions shape. */
    static ObjectNode message(ChatMessage message) {
        String content = message.content() == null ? "" : message.content();
        ObjectNode node = JSON.createObjectNode().put("role", message.role());
        switch (message.role()) {
            case "system", "user" -> node.put("content", content);
            case "assistant" -> assistant(node, message);
            case "tool" -> node.put("tool_call_id", message.toolCallId()).put("content", content);
            default -> throw new IllegalArgumentException("unknown message role '" + message.role() + "'");
        }
        if (message.name() != null && !"tool".equals(message.role())) {
            node.put("name", message.name());
        }
        return node;
    }

    /** Content may be omitted only when the assistant called tools. */
    private static void assistant(ObjectNode node, ChatMessage message) {
        if (message.content() != null || message.toolCalls().isEmpty()) {
            node.put("content", message.content() == null ? "" : message.content());
        }
        if (!message.toolCalls().isEmpty()) {
            ArrayNode calls = node.putArray("tool_calls");
            for (ToolCall call : message.toolCalls()) {
                ObjectNode function = calls.addObject().put("id", call.id()).put("type", "function")
                    .putObject("function");
                function.put("name", call.name()).put("arguments", call.arguments() == null ? "{}" : call.arguments());
            }
        }
    }

    private static JsonNode tools(String toolsJson) {
        JsonNode tools;
        try {
            tools = JSON.readTree(toolsJson);
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("the tools are not a valid OpenAI tools array: " + ex.getMessage(), ex);
        }
        if (!tools.isArray()) {
            throw new IllegalArgumentException("the tools are not a valid OpenAI tools array: not a JSON array");
        }
        return tools;
    }
}
