package dev.rolloutbatch.agent.openai;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.RecordedRequest;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;

import static dev.rolloutbatch.agent.openai.OpenAiTestSupport.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two ways a request goes out, {@link PlainHttp} for a plain direct endpoint and the JDK's client for TLS and
 * proxies: the server must see the same request from both, and both must hand back the same answer.
 */
class ChatTransportTests {

    private static final String BODY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"é\"}]}";

    private final OpenAiProtocolFixture llm = OpenAiProtocolFixture.start();

    @AfterEach
    void stop() {
        llm.close();
    }

    private ChatTransport.Exchange send(boolean plain, String rawBody) throws Exception {
        llm.enqueue(Reply.content("hello"), Reply.rateLimited(Duration.ofSeconds(3)));
        OpenAiEndpoint endpoint = new OpenAiEndpoint(llm.baseUrl(), KEY, "org-test");
        try (ChatTransport transport = new ChatTransport(endpoint, KEY, Duration.ofSeconds(5), plain)) {
            byte[] bytes = rawBody.getBytes(StandardCharsets.UTF_8);
            URI uri = transport.uriFor("gpt-4o");
            ChatRequestBody.Parts parts = new ChatRequestBody.Parts(List.of(java.util.Arrays.copyOfRange(bytes, 0, 9),
                    java.util.Arrays.copyOfRange(bytes, 9, bytes.length)), bytes.length);
            ChatTransport.Exchange answer = transport.send(uri, parts);
            ChatTransport.Exchange limited = transport.send(uri, parts);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("retry-after")).isEqualTo("3");
            return answer;
        }
    }

    /** The headers as the server saw them, without the one the JDK's client alone adds to say what it is. */
    private static Map<String, List<String>> headers(RecordedRequest request) {
        Map<String, List<String>> headers = new java.util.TreeMap<>(request.headers());
        headers.remove("connection");
        return headers;
    }

    @Test
    void bothTransportsSendTheSameRequestAndReadTheSameAnswer() throws Exception {
        ChatTransport.Exchange jdk = send(false, BODY);
        ChatTransport.Exchange plain = send(true, BODY);

        RecordedRequest byJdk = llm.requests().get(0);
        RecordedRequest byPlain = llm.requests().get(2);
        assertThat(byPlain.method()).isEqualTo(byJdk.method()).isEqualTo("POST");
        assertThat(byPlain.path()).isEqualTo(byJdk.path()).endsWith("/chat/completions");
        assertThat(byPlain.body()).isEqualTo(byJdk.body()).isEqualTo(BODY);
        assertThat(headers(byPlain)).isEqualTo(headers(byJdk));
        assertThat(byPlain.header("authorization")).isEqualTo("Bearer " + KEY);
        assertThat(byPlain.header("openai-organization")).isEqualTo("org-test");

        assertThat(plain.status()).isEqualTo(jdk.status()).isEqualTo(200);
        assertThat(plain.header("X-Request-Id")).isEqualTo("req-fixture-3");
        assertThat(jdk.header("x-request-id")).isEqualTo("req-fixture-1");
        assertThat(ChatResponses.read(plain.body()).assistant().content()).isEqualTo("hello");
        assertThat(ChatResponses.read(jdk.body()).assistant().content()).isEqualTo("hello");
    }
}
