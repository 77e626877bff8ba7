package dev.rolloutbatch.agent.openai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.rolloutbatch.agent.AgentTurn;
import dev.rolloutbatch.agent.PolicyException;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.LlmCallRecord;
import dev.rolloutbatch.conversation.ToolCall;
import dev.rolloutbatch.conversation.Usage;

import static dev.rolloutbatch.agent.openai.OpenAiTestSupport.KEY;
import static dev.rolloutbatch.agent.openai.OpenAiTestSupport.policy;
import static dev.rolloutbatch.agent.openai.OpenAiTestSupport.properties;
import static dev.rolloutbatch.agent.openai.OpenAiTestSupport.request;
import static dev.rolloutbatch.agent.openai.OpenAiTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The openai policy's session against the local protocol fixture, without Spring. */
class OpenAiSessionTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OpenAiProtocolFixture llm = OpenAiProtocolFixture.start();

    @AfterEach
    void stop() {
        llm.close();
    }

    private PolicySession session(Protocol protocol, boolean logprobs, OpenAiProperties properties) {
        return policy(llm, properties).open(request(settings(protocol, logprobs)));
    }

    private PolicySession session(Protocol protocol) {
        return session(protocol, false, properties(llm.baseUrl()));
    }

    @Test
    void textTurnSendsSettingsAndRecordsTheCall() {
        llm.enqueue(Reply.content("```\nget_logs(\"test-social-network\", \"user-service\")\n```")
            .withUsage(1000, 400, 50, 10).reportingModel("gpt-4o-2024-08-06"));
        PolicySession session = session(Protocol.TEXT);

        AgentTurn turn = session.next(session.initialMessages());

        assertThat(turn.assistant().role()).isEqualTo("assistant");
        assertThat(turn.assistant().content()).contains("get_logs(\"test-social-network\", \"user-service\")");
        LlmCallRecord call = turn.call();
        assertThat(call.requestId()).isEqualTo("chatcmpl-fixture-1");
        assertThat(call.modelRequested()).isEqualTo("gpt-4o");
        assertThat(call.modelReported()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(call.finishReason()).isEqualTo("stop");
        assertThat(call.attempts()).isEqualTo(1);
        assertThat(call.usage()).isEqualTo(new Usage(600, 400, 0, 50, 10, false));
        assertThat(call.rawUsage()).contains("\"cached_tokens\":400");
        assertThat(call.error()).isNull();
        assertThat(call.tokenIds()).isNull();
        assertThat(call.logprobs()).isNull();

        OpenAiProtocolFixture.RecordedRequest sent = llm.requests().getFirst();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.header("OpenAI-Organization")).isEqualTo("org-test");
        JsonNode body = sent.json();
        assertThat(body.path("model").asString()).isEqualTo("gpt-4o");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.95);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(512);
        assertThat(body.path("seed").asLong()).isEqualTo(42);
        assertThat(body.path("stop").path(0).asString()).isEqualTo("</done>");
        assertThat(body.has("tools")).isFalse();
        assertThat(body.has("logprobs")).isFalse();
        assertThat(body.path("messages").path(0).path("role").asString()).isEqualTo("system");
        assertThat(body.path("messages").path(1).path("role").asString()).isEqualTo("user");
    }

    @Test
    void toolsProtocolOffersToolsAndRoundTripsToolCalls() {
        llm.enqueue(Reply.toolCall("call_1", "get_logs", "{\"namespace\": \"test-social-network\", \"service\": \"user-service\"}"),
                Reply.toolCall("call_2", "submit", "{\"answer\":\"Yes\"}"));
        PolicySession session = session(Protocol.TOOLS);
        assertThat(session.toolsJson()).contains("\"get_logs\"", "\"submit\"");

        List<ChatMessage> history = new ArrayList<>(session.initialMessages());
        AgentTurn first = session.next(history);
        assertThat(first.assistant().toolCalls()).containsExactly(new ToolCall("call_1", "get_logs",
                "{\"namespace\": \"test-social-network\", \"service\": \"user-service\"}"));
        assertThat(first.call().finishReason()).isEqualTo("tool_calls");
        history.add(first.assistant());
        history.add(ChatMessage.tool("call_1", "user-service: connection refused"));
        AgentTurn second = session.next(history);
        assertThat(second.assistant().toolCalls().getFirst().name()).isEqualTo("submit");

        JsonNode firstBody = llm.requests().get(0).json();
        assertThat(firstBody.path("tools").path(0).path("type").asString()).isEqualTo("function");
        assertThat(firstBody.path("tools").path(0).path("function").path("name").asString()).isEqualTo("get_logs");
        assertThat(firstBody.path("tools").path(0).path("function").path("parameters").path("required").toString())
            .contains("namespace", "service");
        JsonNode messages = llm.requests().get(1).json().path("messages");
        JsonNode assistant = messages.path(2);
        assertThat(assistant.path("role").asString()).isEqualTo("assistant");
        assertThat(assistant.path("tool_calls").path(0).path("id").asString()).isEqualTo("call_1");
        assertThat(assistant.path("tool_calls").path(0).path("function").path("arguments").asString())
            .isEqualTo("{\"namespace\": \"test-social-network\", \"service\": \"user-service\"}");
        JsonNode tool = messages.path(3);
        assertThat(tool.path("role").asString()).isEqualTo("tool");
        assertThat(tool.path("tool_call_id").asString()).isEqualTo("call_1");
        assertThat(tool.path("content").asString()).isEqualTo("user-service: connection refused");
    }

    @Test
    void logprobsRequestAsksForTokenIdsAndStoresThem() {
        llm.enqueue(Reply.content("```\nsubmit(\"Yes\")\n```").withUsage(7, 0, 3, 0));
        PolicySession session = session(Protocol.TEXT, true, properties(llm.baseUrl()));

        LlmCallRecord call = session.next(session.initialMessages()).call();

        JsonNode body = llm.requests().getFirst().json();
        assertThat(body.path("logprobs").asBoolean()).isTrue();
        assertThat(body.path("top_logprobs").asInt()).isEqualTo(2);
        assertThat(body.path("return_token_ids").asBoolean()).isTrue();
        JsonNode ids = JSON.readTree(call.tokenIds());
        assertThat(ids.path("prompt_token_ids")).hasSize(7);
        assertThat(ids.path("prompt_token_ids").path(0).asInt()).isEqualTo(1000);
        assertThat(ids.path("response_token_ids").size()).isEqualTo(3);
        JsonNode logprobs = JSON.readTree(call.logprobs());
        assertThat(logprobs.isArray()).isTrue();
        assertThat(logprobs).hasSize(3);
        assertThat(logprobs.path(0).path("logprob").asDouble()).isEqualTo(-0.125);
        assertThat(logprobs.path(0).path("token").asString()).isEqualTo("```\n");
    }

    @Test
    void transientFaultsAreRetriedAndCounted() {
        llm.enqueue(Reply.serverError(), Reply.unavailable(), Reply.drop(), Reply.malformed(),
                Reply.content("```\nsubmit(\"Yes\")\n```"));
        PolicySession session = session(Protocol.TEXT);

        LlmCallRecord call = session.next(session.initialMessages()).call();

        assertThat(llm.requestCount()).isEqualTo(5);
        assertThat(call.attempts()).isEqualTo(5);
        assertThat(call.requestId()).isEqualTo("chatcmpl-fixture-5");
    }

    @Test
    void exhaustedRetriesFailWithTheLastErrorAndTheFailedCall() {
        llm.fallback(Reply.unavailable());
        OpenAiProperties three = new OpenAiProperties(llm.baseUrl(), Duration.ofSeconds(5), 3, Duration.ofMillis(10),
                Duration.ofMillis(50), Duration.ofSeconds(10), 8, 0, 0, 0, "max_tokens");
        PolicySession session = session(Protocol.TEXT, false, three);

        PolicyException failure = catchThrowableOfType(PolicyException.class,
                () -> session.next(session.initialMessages()));

        assertThat(llm.requestCount()).isEqualTo(3);
        assertThat(failure.getMessage()).contains("HTTP 503").contains("3 attempts");
        assertThat(failure.failedCall().attempts()).isEqualTo(3);
        assertThat(failure.failedCall().error()).isEqualTo(failure.getMessage());
        assertThat(failure.failedCall().usage()).isEqualTo(Usage.ZERO);
        assertThat(failure.failedCall().modelRequested()).isEqualTo("gpt-4o");
    }

    @Test
    void retryAfterSecondsIsHonoured() {
        llm.enqueue(Reply.rateLimited(Duration.ofSeconds(1)), Reply.content("```\nsubmit(\"Yes\")\n```"));
        PolicySession session = session(Protocol.TEXT);

        LlmCallRecord call = session.next(session.initialMessages()).call();

        Duration waited = Duration.between(llm.requests().get(0).receivedAt(), llm.requests().get(1).receivedAt());
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        assertThat(call.attempts()).isEqualTo(2);
        assertThat(call.latencyMs()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void retryAfterMillisecondsIsHonoured() {
        llm.enqueue(Reply.rateLimitedMs(600), Reply.content("```\nsubmit(\"Yes\")\n```"));
        PolicySession session = session(Protocol.TEXT);

        session.next(session.initialMessages());

        Duration waited = Duration.between(llm.requests().get(0).receivedAt(), llm.requests().get(1).receivedAt());
        // Without the header the backoff would be at most 50 ms (maxBackoff of the test properties).
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void aReplySlowerThanTheTimeoutIsRetried() {
        llm.enqueue(Reply.slow(Duration.ofSeconds(3), Reply.content("late")), Reply.content("```\nsubmit(\"No\")\n```"));
        OpenAiProperties shortTimeout = new OpenAiProperties(llm.baseUrl(), Duration.ofMillis(700), 3,
                Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(10), 8, 0, 0, 0, "max_tokens");
        PolicySession session = session(Protocol.TEXT, false, shortTimeout);

        AgentTurn turn = session.next(session.initialMessages());

        assertThat(turn.assistant().content()).contains("submit(\"No\")");
        assertThat(turn.call().attempts()).isEqualTo(2);
        assertThat(turn.call().latencyMs()).isLessThan(2500);
    }

    @Test
    void timeoutsExhaustedNameTheTimeout() {
        llm.fallback(Reply.slow(Duration.ofSeconds(2), Reply.content("late")));
        OpenAiProperties shortTimeout = new OpenAiProperties(llm.baseUrl(), Duration.ofMillis(300), 2,
                Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(10), 8, 0, 0, 0, "max_tokens");
        PolicySession session = session(Protocol.TEXT, false, shortTimeout);

        assertThatThrownBy(() -> session.next(session.initialMessages())).isInstanceOf(PolicyException.class)
            .hasMessageContaining("timeout")
            .hasMessageContaining("2 attempts");
        assertThat(llm.requestCount()).isEqualTo(2);
    }

    @Test
    void contextLengthIsFinalWithAClearReason() {
        llm.enqueue(Reply.contextLengthExceeded(), Reply.content("never asked"));
        PolicySession session = session(Protocol.TEXT);

        PolicyException failure = catchThrowableOfType(PolicyException.class,
                () -> session.next(session.initialMessages()));

        assertThat(failure.getMessage()).startsWith("openai: context length exceeded (HTTP 400)");
        assertThat(failure.failedCall().attempts()).isEqualTo(1);
        assertThat(llm.requestCount()).isEqualTo(1);
    }

    @Test
    void otherClientErrorsAreNotRetriedAndTheKeyIsScrubbed() {
        llm.fallback(Reply.status(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
                + "\",\"code\":\"invalid_api_key\"}}"));
        PolicySession session = session(Protocol.TEXT);

        PolicyException failure = catchThrowableOfType(PolicyException.class,
                () -> session.next(session.initialMessages()));

        assertThat(llm.requestCount()).isEqualTo(1);
        assertThat(failure.getMessage()).contains("HTTP 401").contains("[REDACTED]").doesNotContain(KEY);
        assertThat(failure.failedCall().error()).doesNotContain(KEY);
        assertThat(failure.failedCall().toString()).doesNotContain(KEY);
    }

    @Test
    void missingUsageIsEstimatedAndFlagged() {
        llm.enqueue(Reply.content("```\nget_logs(\"test-social-network\", \"user-service\")\n```").withoutUsage());
        PolicySession session = session(Protocol.TEXT);

        LlmCallRecord call = session.next(session.initialMessages()).call();

        assertThat(call.usage().estimated()).isTrue();
        assertThat(call.usage().inputUncached()).isGreaterThan(10);
        assertThat(call.usage().output()).isGreaterThan(5);
        assertThat(call.rawUsage()).isNull();
    }

    @Test
    void anthropicStyleCacheFieldsFromAGatewayAreBucketed() {
        llm.enqueue(Reply.content("```\nsubmit(\"Yes\")\n```").withRawUsage("{\"prompt_tokens\":1500,"
                + "\"completion_tokens\":80,\"total_tokens\":1580,\"cache_creation_input_tokens\":300,"
                + "\"cache_read_input_tokens\":1000}"));
        PolicySession session = session(Protocol.TEXT);

        LlmCallRecord call = session.next(session.initialMessages()).call();

        assertThat(call.usage()).isEqualTo(new Usage(200, 1000, 300, 80, 0, false));
    }

    @Test
    void concurrencyIsLimitedPerEndpoint() throws Exception {
        llm.latency(Duration.ofMillis(200)).fallback(Reply.content("```\nsubmit(\"Yes\")\n```"));
        OpenAiProperties two = new OpenAiProperties(llm.baseUrl(), Duration.ofSeconds(5), 3, Duration.ofMillis(10),
                Duration.ofMillis(50), Duration.ofSeconds(10), 2, 0, 0, 0, "max_tokens");
        OpenAiPolicy policy = policy(llm, two);
        List<Callable<AgentTurn>> turns = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            PolicySession session = policy.open(request(settings(Protocol.TEXT, false)));
            turns.add(() -> session.next(session.initialMessages()));
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<AgentTurn> turn : pool.invokeAll(turns)) {
                assertThat(turn.get().call().attempts()).isEqualTo(1);
            }
        }
        assertThat(llm.requestCount()).isEqualTo(8);
        assertThat(llm.maxConcurrentRequests()).isEqualTo(2);
    }
}
