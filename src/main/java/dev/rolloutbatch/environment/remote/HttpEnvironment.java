package dev.rolloutbatch.environment.remote;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.environment.AgentEnvironment;
import dev.rolloutbatch.environment.EnvironmentException;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.Evaluation;
import dev.rolloutbatch.environment.StepResult;
import dev.rolloutbatch.environment.TaskBrief;

/**
 * The {@code http} environment: a real AIOpsLab behind the bridge (python/aiopslab_bridge), or another
 * rollout-batch's environment service (the {@code serve} profile, dev.rolloutbatch.envservice), over a small JSON
 * API, with {@code Authorization: Bearer <rollout.environment.http.token>} when a token is set.
 * <ul>
 * <li>{@code POST /problems/{id}/sessions {"seed": n}} → {@code {session_id, task_description, instructions, actions}}</li>
 * <li>{@code POST /sessions/{sid}/actions {"action": "..."}} → {@code {observation, done}}</li>
 * <li>{@code POST /sessions/{sid}/evaluation} → {@code {results, success, reward}}</li>
 * <li>{@code DELETE /sessions/{sid}}; {@code GET /problems} → the served problem IDs</li>
 * </ul>
 * Transient failures (connection refused, timeouts, 5xx, 429) are retried with exponential backoff. An action is
 * only retried when the server cannot have run it (connection refused, 503), so a flaky link never runs a kubectl
 * command twice. Anything else, or an answer that is not the expected JSON, is an {@link EnvironmentException}
 * naming the URL.
 */
@Component
public class HttpEnvironment implements AgentEnvironment {

    private static final Logger log = LoggerFactory.getLogger(HttpEnvironment.class);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpEnvironmentProperties properties;
    private final String baseUrl;
    private volatile HttpClient client;

    public HttpEnvironment(HttpEnvironmentProperties properties) {
        this.properties = properties;
        String url = properties.baseUrl() == null ? "" : properties.baseUrl().strip();
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String name() {
        return "http";
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                        .version(HttpClient.Version.HTTP_1_1).build();
                }
                c = client;
            }
        }
        return c;
    }

    @Override
    public EnvironmentSession start(Problem problem, long seed) {
        String path = "/problems/" + URLEncoder.encode(problem.id(), StandardCharsets.UTF_8).replace("+", "%20") + "/sessions";
        JsonNode body = call("POST", path, JSON.createObjectNode().put("seed", seed), true);
        String sessionId = text(body, "session_id", path);
        String description = text(body, "task_description", path);
        String instructions = text(body, "instructions", path);
        JsonNode actions = body.get("actions");
        if (actions == null || !(actions.isObject() || actions.isArray())) {
            throw garbage(path, "missing or malformed field 'actions'");
        }
        TaskBrief brief = new TaskBrief(description, instructions, RemoteActions.parse(actions, problem.taskType()));
        return new Session(sessionId, brief);
    }

    @Override
    public Set<String> servedProblemIds() {
        JsonNode body = call("GET", "/problems", null, true);
        JsonNode list = body.isArray() ? body : body.get("problems");
        if (list == null || !list.isArray()) {
            throw garbage("/problems", "expected a JSON array of problem IDs");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode item : list) {
            if (item.isString()) {
                ids.add(item.asString());
            }
            else if (item.isObject() && (item.has("id") || item.has("problem_id"))) {
                ids.add(item.has("id") ? item.get("id").asString() : item.get("problem_id").asString());
            }
            else {
                throw garbage("/problems", "unexpected item " + item);
            }
        }
        return ids;
    }

    private final class Session implements EnvironmentSession {

        private final String id;
        private final String path;
        private final TaskBrief brief;

        Session(String id, TaskBrief brief) {
            this.id = id;
            this.path = "/sessions/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
            this.brief = brief;
        }

        @Override
        public TaskBrief brief() {
            return brief;
        }

        @Override
        public StepResult step(String action) {
            JsonNode body = call("POST", path + "/actions", JSON.createObjectNode().put("action", action), false);
            JsonNode observation = body.get("observation");
            if (observation == null) {
                throw garbage(path + "/actions", "missing field 'observation'");
            }
            JsonNode done = body.get("done");
            if (done != null && !done.isBoolean() && !done.isNull()) {
                throw garbage(path + "/actions", "field 'done' is not a boolean");
            }
            return new StepResult(observation.isString() ? observation.asString() : observation.toString(),
                    done != null && done.asBoolean(false));
        }

        @Override
        public Evaluation evaluate() {
            JsonNode body = call("POST", path + "/evaluation", JSON.createObjectNode(), true);
            JsonNode results = body.get("results");
            JsonNode success = body.get("success");
            if (results == null || !results.isObject()) {
                throw garbage(path + "/evaluation", "missing object field 'results'");
            }
            if (success == null || !success.isBoolean()) {
                throw garbage(path + "/evaluation", "missing boolean field 'success'");
            }
            JsonNode reward = body.get("reward");
            if (reward != null && !reward.isNumber() && !reward.isNull()) {
                throw garbage(path + "/evaluation", "field 'reward' is not a number");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = JSON.convertValue(results, LinkedHashMap.class);
            double value = reward == null || reward.isNull() ? (success.asBoolean() ? 1.0 : 0.0) : reward.asDouble();
            // newer servers also send AIOpsLab's own verdict and the reward's terms; older ones only the above
            JsonNode aiopslab = body.path("aiopslab").path("success");
            JsonNode components = body.get("reward_components");
            @SuppressWarnings("unchecked")
            Map<String, Object> terms = components != null && components.isObject()
                    ? JSON.convertValue(components, LinkedHashMap.class) : Map.of();
            return new Evaluation(map, success.asBoolean(), value,
                    aiopslab.isBoolean() ? aiopslab.asBoolean() : success.asBoolean(), terms, null, 0, 0);
        }

        @Override
        public void close() {
            try {
                call("DELETE", path, null, true);
            }
            catch (EnvironmentException ex) {
                log.warn("Could not close remote session {}: {}", id, ex.getMessage());
            }
        }
    }

    /**
     * One request with retries.
     *
     * @param idempotent false for actions: then only failures where the server cannot have run it are retried
     */
    JsonNode call(String method, String path, JsonNode body, boolean idempotent) {
        URI uri;
        try {
            uri = URI.create(baseUrl + path);
        }
        catch (IllegalArgumentException ex) {
            throw new EnvironmentException("invalid environment URL " + baseUrl + path + ": " + ex.getMessage(), ex);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(properties.readTimeout())
            .header("Accept", "application/json");
        if (properties.token() != null && !properties.token().isBlank()) {
            builder.header("Authorization", "Bearer " + properties.token().strip());
        }
        if (body != null) {
            builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpRequest request = builder.build();
        String lastError = null;
        int attempts = Math.max(0, properties.retries()) + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            boolean retryable;
            try {
                HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return parse(method, uri, response.body());
                }
                lastError = "HTTP " + status + ": " + snippet(response.body());
                retryable = status == 503 || idempotent && (status >= 500 || status == 429);
                if (!retryable) {
                    throw new EnvironmentException(method + " " + uri + " failed with " + lastError);
                }
            }
            catch (ConnectException ex) {
                lastError = "connection refused (" + ex.getClass().getSimpleName() + ")";
                retryable = true;
            }
            catch (HttpTimeoutException ex) {
                lastError = "timed out (" + ex.getMessage() + ")";
                retryable = idempotent;
                if (!retryable) {
                    throw new EnvironmentException(method + " " + uri + " " + lastError, ex);
                }
            }
            catch (IOException ex) {
                lastError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
                retryable = idempotent;
                if (!retryable) {
                    throw new EnvironmentException(method + " " + uri + " failed: " + lastError, ex);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new EnvironmentException(method + " " + uri + " interrupted", ex);
            }
            if (attempt < attempts) {
                sleep(properties.backoff().toMillis() << Math.min(attempt - 1, 10));
            }
        }
        throw new EnvironmentException("environment at " + uri + " unreachable after " + attempts + " attempt(s): " + lastError);
    }

    private static JsonNode parse(String method, URI uri, String body) {
        if (method.equals("DELETE") && (body == null || body.isBlank())) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            if (node == null || node.isMissingNode() || !(node.isObject() || node.isArray())) {
                throw new EnvironmentException("environment at " + uri + " answered garbage (not a JSON object): " + snippet(body));
            }
            return node;
        }
        catch (JacksonException ex) {
            throw new EnvironmentException("environment at " + uri + " answered garbage (not JSON): " + snippet(body), ex);
        }
    }

    private EnvironmentException garbage(String path, String what) {
        return new EnvironmentException("environment at " + baseUrl + path + " answered garbage: " + what);
    }

    private String text(JsonNode body, String field, String path) {
        JsonNode value = body.get(field);
        if (value == null || !value.isString()) {
            throw garbage(path, "missing string field '" + field + "'");
        }
        return value.asString();
    }

    private static String snippet(String body) {
        if (body == null) {
            return "<empty>";
        }
        String s = body.strip();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s.isEmpty() ? "<empty>" : s;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while waiting to retry", ex);
        }
    }
}
