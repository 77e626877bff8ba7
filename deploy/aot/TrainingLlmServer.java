import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * The stand-in LLM of the launcher's AOT training run (see ./rollout-batch): an OpenAI-compatible chat completions
 * endpoint on loopback that answers every request with a submission, so that the training run goes through the
 * openai policy's client (the OpenAI SDK, OkHttp, Jackson 2 and Kotlin) and the AOT cache holds those classes too.
 * Run as {@code java deploy/aot/TrainingLlmServer.java}; it prints its port, then serves until killed.
 */
public class TrainingLlmServer {

    private static final String ANSWER = """
            {"id":"chatcmpl-training","object":"chat.completion","created":0,"model":"training",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"```\\nsubmit(\\"Yes\\")\\n```"},\
            "finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":8,"total_tokens":108}}""";

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println(server.getAddress().getPort());
        System.out.flush();
    }
}
