import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

/**
 * The stand-in LLM of the launcher's AOT training run (see ./rollout-batch): an OpenAI-compatible chat completions
 * endpoint on loopback. It answers each conversation the way an investigating agent does (a few shell commands that
 * look at pods, services, deployments, logs and events, then a submission), so that the training run goes through
 * the openai policy's client and through the steps of an episode that a real night repeats thousands of times: the
 * AOT cache then holds those classes and their profiles, and the first wave of a big run does not load and
 * interpret them under load. Run as {@code java deploy/aot/TrainingLlmServer.java}; it prints its port, then
 * serves until killed.
 */
public class TrainingLlmServer {

    /** What the agent runs before it submits, one command per turn. */
    private static final List<String> LOOKS = List.of(
            "kubectl get pods -n test-social-network",
            "kubectl get services -n test-hotel-reservation",
            "kubectl describe pod -n test-social-network",
            "kubectl get deployments -A",
            "kubectl logs deployment/frontend -n test-hotel-reservation --tail=20",
            "kubectl get events -n test-social-network");

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] body = answer(turn(request)).getBytes(StandardCharsets.UTF_8);
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

    /** How many answers the conversation already holds. */
    private static int turn(String request) {
        int turns = 0;
        for (int at = request.indexOf("\"assistant\""); at >= 0; at = request.indexOf("\"assistant\"", at + 1)) {
            turns++;
        }
        return turns;
    }

    private static String answer(int turn) {
        String action = turn < LOOKS.size() ? "exec_shell(\\\"" + LOOKS.get(turn) + "\\\")" : "submit(\\\"Yes\\\")";
        return """
                {"id":"chatcmpl-training-%d","object":"chat.completion","created":0,"model":"training",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"```\\n%s\\n```"},\
                "finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":8,"total_tokens":108}}"""
                .formatted(turn, action);
    }
}
