package dev.rolloutbatch.agent.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plain-HTTP transport against a raw socket server that answers exactly the bytes a test scripts: the wire
 * shapes the JDK's protocol fixture never produces (chunked bodies, interim answers, connections closed while
 * idle) and the request as it goes out.
 */
class PlainHttpTests {

    /** One scripted answer: its raw bytes, and whether the server closes the connection after it. */
    private record Answer(String raw, boolean closeAfter) {
    }

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

    private final ServerSocket server;
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final PlainHttp http;
    private final URI uri;

    PlainHttpTests() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(this::accept);
        URI base = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
        uri = URI.create(base + "/chat/completions");
        http = new PlainHttp(base, new String[] { "Content-Type", "application/json", "Authorization", "Bearer k" },
                Duration.ofSeconds(2), Duration.ofMillis(500));
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread.ofPlatform().daemon().start(() -> serve(socket));
            }
            catch (IOException ex) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (true) {
                String request = readRequest(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                Answer answer = script.poll();
                if (answer == null) {
                    return;
                }
                out.write(answer.raw().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (answer.closeAfter()) {
                    return;
                }
            }
        }
        catch (IOException ex) {
            // The client went away.
        }
    }

    /** The head and body of one request, or null at the end of the connection. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Sends the body in two parts, as {@link ChatRequestBody} hands over a conversation. */
    private ChatTransport.Exchange post(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int half = bytes.length / 2;
        return http.post(uri, new ChatRequestBody.Parts(List.of(java.util.Arrays.copyOfRange(bytes, 0, half),
                java.util.Arrays.copyOfRange(bytes, half, bytes.length)), bytes.length));
    }

    @Test
    void sendsOnePostWithTheHeadersAndTheBodyAndReusesTheConnection() throws Exception {
        script.add(new Answer(OK, false));
        script.add(new Answer(OK, false));

        assertThat(post("{\"a\":\"é\"}").status()).isEqualTo(200);
        assertThat(post("{}").body()).asString(StandardCharsets.UTF_8).isEqualTo("{}");

        assertThat(requests.getFirst()).isEqualTo("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:"
                + server.getLocalPort() + "\r\nContent-Type: application/json\r\nAuthorization: Bearer k\r\n"
                + "Content-Length: 10\r\n\r\n{\"a\":\"é\"}");
        assertThat(connections).hasValue(1);
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndTrailersAndKeepsTheConnection() throws Exception {
        script.add(new Answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Request-Id: r1\r\n\r\n"
                + "4;ext=1\r\n{\"a\"\r\na\r\n:\"0123456\"\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n", false));
        script.add(new Answer(OK, false));

        ChatTransport.Exchange first = post("{}");

        assertThat(first.body()).asString(StandardCharsets.UTF_8).isEqualTo("{\"a\":\"0123456\"}");
        assertThat(first.header("x-request-id")).isEqualTo("r1");
        assertThat(post("{}").status()).isEqualTo(200);
        assertThat(connections).hasValue(1);
    }

    @Test
    void skipsInterimAnswersAndHonoursConnectionClose() throws Exception {
        script.add(new Answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\n"
                + "Connection: close\r\nContent-Length: 5\r\n\r\nslow!", true));
        script.add(new Answer(OK, false));

        ChatTransport.Exchange first = post("{}");

        assertThat(first.status()).isEqualTo(429);
        assertThat(first.header("Retry-After")).isEqualTo("2");
        assertThat(first.body()).asString(StandardCharsets.UTF_8).isEqualTo("slow!");
        assertThat(post("{}").status()).isEqualTo(200);
        assertThat(connections).hasValue(2);
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsNotReused() throws Exception {
        script.add(new Answer(OK, true));
        script.add(new Answer(OK, false));
        assertThat(post("{}").status()).isEqualTo(200);
        Thread.sleep(100);

        assertThat(post("{}").status()).isEqualTo(200);
        assertThat(requests).hasSize(2);
        assertThat(connections).hasValue(2);
    }

    @Test
    void aBodyCutShortIsAnIoErrorAndAnAnswerTooSlowATimeout() throws Exception {
        script.add(new Answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\"", true));
        assertThatThrownBy(() -> post("{}")).isInstanceOf(IOException.class)
            .isNotInstanceOf(HttpTimeoutException.class);

        script.add(new Answer("", false));
        assertThatThrownBy(() -> post("{}")).isInstanceOf(HttpTimeoutException.class)
            .hasMessage("request timed out after 500 ms");
    }

    @Test
    void aBodyLargerThanTheSendBufferIsSentWhole() throws Exception {
        script.add(new Answer(OK, false));
        String large = "{\"content\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}";

        assertThat(post(large).status()).isEqualTo(200);
        assertThat(requests.getFirst()).endsWith(large);
    }

    @Test
    @Timeout(20)
    void aServerThatStopsReadingTheRequestRunsIntoTheTimeout() throws Exception {
        try (ServerSocket deaf = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    accepted.add(deaf.accept());
                }
                catch (IOException ex) {
                    // closed by the test
                }
            });
            URI base = URI.create("http://127.0.0.1:" + deaf.getLocalPort() + "/v1");
            byte[] body = new byte[32 * 1024 * 1024];
            try (PlainHttp deafHttp = new PlainHttp(base, new String[0], Duration.ofSeconds(2), Duration.ofMillis(500))) {
                assertThatThrownBy(() -> deafHttp.post(URI.create(base + "/chat/completions"),
                        new ChatRequestBody.Parts(List.of(body), body.length)))
                    .isInstanceOf(HttpTimeoutException.class)
                    .hasMessageContaining("did not read the request");
            }
            finally {
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        }
    }
}
