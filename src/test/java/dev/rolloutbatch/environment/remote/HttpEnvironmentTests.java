package dev.rolloutbatch.environment.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.environment.EnvironmentException;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.environment.StepResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The http environment against a local fake AIOpsLab server that can inject faults. */
class HttpEnvironmentTests {

    private static final ProblemCatalog CATALOG = new ProblemCatalog();

    private HttpServer server;
    /** Faults to inject before normal answers, per path prefix: "500", "slow", "garbage". */
    private final Deque<String> faults = new ArrayDeque<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private String startBody = """
            {"session_id": "s-1", "task_description": "Detect anomalies in test-hotel-reservation.",
             "instructions": "Respond with one API call.",
             "actions": {"get_logs": "Collects logs.\\n\\nArgs:\\n    namespace (str): The namespace.\\n    service (str): The service.\\n\\nReturns:\\n    str: logs",
                         "exec_shell": "Execute a command.", "submit": "Submit."}}
            """;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(method + " " + path + " " + body + " auth=" + exchange.getRequestHeaders().getFirst("Authorization"));
        String fault = faults.poll();
        if ("500".equals(fault)) {
            reply(exchange, 500, "{\"error\": \"boom\"}");
            return;
        }
        if ("slow".equals(fault)) {
            try {
                Thread.sleep(1500);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if ("garbage".equals(fault)) {
            reply(exchange, 200, "<html>502 Bad Gateway</html>");
            return;
        }
        if (method.equals("GET") && path.equals("/problems")) {
            reply(exchange, 200, "[\"container_kill-detection\", \"noop_detection_hotel_reservation-1\"]");
        }
        else if (method.equals("POST") && path.matches("/problems/[^/]+/sessions")) {
            reply(exchange, 200, startBody);
        }
        else if (method.equals("POST") && path.endsWith("/actions")) {
            boolean submit = body.contains("submit(");
            reply(exchange, 200, "{\"observation\": \"" + (submit ? "submitted" : "NAME  READY") + "\", \"done\": " + submit + "}");
        }
        else if (method.equals("POST") && path.endsWith("/evaluation")) {
            // the evaluation response of the shared contract: AIOpsLab's verdict may differ from the project's
            reply(exchange, 200, "{\"results\": {\"Detection Accuracy\": \"Correct\", \"TTD\": 12.5}, \"success\": true, \"reward\": 1.0,"
                    + " \"aiopslab\": {\"success\": false, \"results\": {}}, \"reward_components\": {\"outcome\": 1.0}}");
        }
        else if (method.equals("DELETE")) {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        }
        else {
            reply(exchange, 404, "{\"error\": \"not found\"}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private HttpEnvironment environment(String baseUrl, int retries) {
        return environment(baseUrl, retries, "");
    }

    private HttpEnvironment environment(String baseUrl, int retries, String token) {
        return new HttpEnvironment(new HttpEnvironmentProperties(baseUrl, Duration.ofMillis(500), Duration.ofMillis(700),
                retries, Duration.ofMillis(10), token));
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Problem problem() {
        return CATALOG.get("container_kill-detection");
    }

    @Test
    void playsAWholeSessionOverTheProtocol() {
        HttpEnvironment env = environment(url() + "/", 0);
        assertThat(env.name()).isEqualTo("http");
        assertThat(env.servedProblemIds()).containsExactly("container_kill-detection", "noop_detection_hotel_reservation-1");
        try (EnvironmentSession session = env.start(problem(), 7)) {
            assertThat(session.brief().taskDescription()).contains("Detect anomalies");
            assertThat(session.brief().actions()).extracting(a -> a.name()).containsExactly("get_logs", "exec_shell", "submit");
            assertThat(session.brief().actions().getFirst().parameters()).extracting(p -> p.name() + ":" + p.type())
                .containsExactly("namespace:string", "service:string");
            assertThat(session.brief().actions().get(1).parameters()).extracting(p -> p.name()).containsExactly("command");
            assertThat(session.brief().actions().get(2).parameters()).extracting(p -> p.name()).containsExactly("has_anomaly");
            StepResult look = session.step("exec_shell(\"kubectl get pods -n test-hotel-reservation\")");
            assertThat(look).isEqualTo(new StepResult("NAME  READY", false));
            assertThat(session.step("submit(\"Yes\")").done()).isTrue();
            Evaluation evaluation = session.evaluate();
            assertThat(evaluation.success()).isTrue();
            assertThat(evaluation.reward()).isEqualTo(1.0);
            assertThat(evaluation.results()).containsEntry("Detection Accuracy", "Correct").containsEntry("TTD", 12.5);
            assertThat(evaluation.aiopslabSuccess()).isFalse();
            assertThat(evaluation.rewardComponents()).containsEntry("outcome", 1.0);
        }
        assertThat(requests).anyMatch(r -> r.startsWith("POST /problems/container_kill-detection/sessions") && r.contains("\"seed\":7"));
        assertThat(requests).anyMatch(r -> r.startsWith("POST /sessions/s-1/actions") && r.contains("kubectl get pods"));
        assertThat(requests).anyMatch(r -> r.startsWith("DELETE /sessions/s-1"));
    }

    @Test
    void sendsTheBearerTokenOnEveryRequestWhenOneIsSet() {
        try (EnvironmentSession session = environment(url(), 0, "s3cret").start(problem(), 1)) {
            session.step("submit(\"Yes\")");
        }
        assertThat(requests).hasSize(3).allMatch(r -> r.endsWith(" auth=Bearer s3cret"));
        requests.clear();
        environment(url(), 0).servedProblemIds();
        assertThat(requests).singleElement().satisfies(r -> assertThat(r).endsWith(" auth=null"));
        assertThat(new HttpEnvironmentProperties(url(), Duration.ofSeconds(1), Duration.ofSeconds(1), 0,
                Duration.ofMillis(1), "s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void acceptsActionsAsAList() {
        startBody = """
                {"session_id": "s-2", "task_description": "d", "instructions": "i",
                 "actions": ["get_metrics", {"name": "exec_shell", "description": "run"}]}""";
        try (EnvironmentSession session = environment(url(), 0).start(problem(), 1)) {
            assertThat(session.brief().actions()).extracting(a -> a.name()).containsExactly("get_metrics", "exec_shell");
            assertThat(session.brief().actions().getFirst().parameters()).extracting(p -> p.name())
                .containsExactly("namespace", "duration");
        }
    }

    @Test
    void retriesServerErrorsThenSucceeds() {
        faults.add("500");
        faults.add("500");
        HttpEnvironment env = environment(url(), 3);
        try (EnvironmentSession session = env.start(problem(), 1)) {
            assertThat(session.brief().instructions()).isEqualTo("Respond with one API call.");
        }
        assertThat(requests.stream().filter(r -> r.startsWith("POST /problems/")).count()).isEqualTo(3);
    }

    @Test
    void givesUpAfterTheRetriesWithTheUrlInTheMessage() {
        for (int i = 0; i < 5; i++) {
            faults.add("500");
        }
        assertThatThrownBy(() -> environment(url(), 2).start(problem(), 1))
            .isInstanceOf(EnvironmentException.class)
            .hasMessageContaining(url() + "/problems/container_kill-detection/sessions")
            .hasMessageContaining("HTTP 500")
            .hasMessageContaining("3 attempt");
    }

    @Test
    void retriesSlowRepliesBeyondTheReadTimeout() {
        faults.add("slow");
        HttpEnvironment env = environment(url(), 1);
        assertThat(env.servedProblemIds()).hasSize(2);
        assertThat(requests.stream().filter(r -> r.startsWith("GET /problems")).count()).isEqualTo(2);
    }

    @Test
    void slowActionIsNotRetriedSoItNeverRunsTwice() {
        HttpEnvironment env = environment(url(), 3);
        try (EnvironmentSession session = env.start(problem(), 1)) {
            faults.add("slow");
            assertThatThrownBy(() -> session.step("exec_shell(\"kubectl delete pod x\")"))
                .isInstanceOf(EnvironmentException.class).hasMessageContaining("timed out")
                .hasMessageContaining("/sessions/s-1/actions");
        }
        assertThat(requests.stream().filter(r -> r.contains("/actions")).count()).isEqualTo(1);
    }

    @Test
    void garbageJsonIsAClearError() {
        faults.add("garbage");
        assertThatThrownBy(() -> environment(url(), 0).servedProblemIds())
            .isInstanceOf(EnvironmentException.class)
            .hasMessageContaining("garbage").hasMessageContaining(url() + "/problems");
    }

    @Test
    void missingFieldsAreAClearError() {
        startBody = "{\"task_description\": \"d\", \"instructions\": \"i\", \"actions\": {}}";
        assertThatThrownBy(() -> environment(url(), 0).start(problem(), 1))
            .isInstanceOf(EnvironmentException.class).hasMessageContaining("session_id");
    }

    @Test
    void connectionRefusedIsRetriedThenReported() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + port;
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> environment(dead, 2).servedProblemIds())
            .isInstanceOf(EnvironmentException.class)
            .hasMessageContaining(dead + "/problems").hasMessageContaining("unreachable").hasMessageContaining("3 attempt");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(30));
    }
}
