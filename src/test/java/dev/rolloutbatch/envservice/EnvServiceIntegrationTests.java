package dev.rolloutbatch.envservice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.RolloutBatchApplication;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.catalog.TaskType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment service on a real server (serve profile, random port) against PostgreSQL, driven over real
 * HTTP: the protocol, its errors and limits, idle expiry, the bearer token, and every session logged as an episode.
 */
class EnvServiceIntegrationTests {

    static final String TOKEN = "test-token-f";
    static final int MAX_SESSIONS = 60;

    private static ConfigurableApplicationContext server;
    private static ServiceHttp http;
    private static JdbcTemplate jdbc;
    private static final ProblemCatalog CATALOG = new ProblemCatalog();

    @BeforeAll
    static void start() {
        server = new SpringApplicationBuilder(RolloutBatchApplication.class).profiles("pgtest", "serve")
            .run("--server.port=0", "--rollout.api.workers=0", "--rollout.api.token=" + TOKEN,
                    "--rollout.envservice.max-sessions=" + MAX_SESSIONS, "--rollout.envservice.idle-timeout=6s",
                    "--rollout.envservice.sweep-interval=200ms", "--rollout.envservice.stale-after=30s",
                    "--spring.datasource.hikari.maximum-pool-size=12");
        http = new ServiceHttp("http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port"), TOKEN);
        jdbc = server.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
    }

    @Test
    void aSessionIsServedStepByStepAndLoggedAsAnEpisodeWithBothGradings() {
        Problem problem = CATALOG.get("k8s_target_port-misconfig-localization-1");
        JsonNode opened = open(problem.id(), "{\"seed\": 42, \"model\": \"qwen-test\", \"max_steps\": 5}");
        String sid = opened.get("session_id").asString();
        assertThat(opened.get("task_description").asString()).isNotBlank();
        assertThat(opened.get("instructions").asString()).isNotBlank();
        assertThat(opened.get("actions").valueStream().map(a -> a.get("name").asString()).toList())
            .contains("get_logs", "exec_shell", "submit");
        assertThat(opened.get("prompt").valueStream().map(m -> m.get("role").asString()).toList())
            .containsExactly("system", "user");

        JsonNode step = act(sid, "{\"action\": " + ServiceHttp.quote("exec_shell(\"kubectl get svc -n "
                + problem.namespace() + "\")") + "}");
        assertThat(step.get("done").asBoolean()).isFalse();
        assertThat(step.get("observation").asString()).contains(problem.faultyService());
        // The whole answer instead of the call: the call is taken from its code block, as AIOpsLab does.
        JsonNode submitted = act(sid, "{\"response\": " + ServiceHttp.quote("It is the service.\n```\nsubmit([\""
                + problem.faultyService() + "\"])\n```") + "}");
        assertThat(submitted.get("done").asBoolean()).isTrue();
        assertThat(submitted.get("steps").asInt()).isEqualTo(2);
        assertThat(http.post("/sessions/" + sid + "/actions", "{\"action\": \"exec_shell(\\\"ls\\\")\"}").status())
            .as("no action after a submission").isEqualTo(409);

        ServiceHttp.Response evaluation = http.post("/sessions/" + sid + "/evaluation", "{}");
        assertThat(evaluation.status()).isEqualTo(200);
        JsonNode grade = evaluation.json();
        assertThat(grade.get("success").asBoolean()).isTrue();
        assertThat(grade.get("reward").asDouble()).isEqualTo(1.0);
        assertThat(grade.get("results").get("Localization Accuracy").asDouble()).isEqualTo(100.0);
        assertThat(grade.get("aiopslab").get("results")).isEqualTo(grade.get("results"));
        assertThat(grade.get("aiopslab").get("success").isBoolean()).isTrue();
        assertThat(grade.get("reward_components").isObject()).isTrue();
        assertThat(http.post("/sessions/" + sid + "/evaluation", "{}").json())
            .as("evaluation is idempotent").isEqualTo(grade);
        assertThat(http.delete("/sessions/" + sid).status()).isEqualTo(204);
        assertThat(http.post("/sessions/" + sid + "/evaluation", "{}").status()).isEqualTo(404);

        Map<String, Object> episode = jdbc.queryForMap("SELECT * FROM episode WHERE id = ?",
                opened.get("episode_id").asLong());
        assertThat(episode).containsEntry("source", "session").containsEntry("status", "completed")
            .containsEntry("problem_id", problem.id()).containsEntry("seed", 42L).containsEntry("model", "qwen-test")
            .containsEntry("steps_taken", 2).containsEntry("success", true).containsEntry("max_steps", 5)
            .containsEntry("solution", "submit([\"" + problem.faultyService() + "\"])");
        assertThat(episode.get("run_id")).isNull();
        JsonNode stored = ServiceHttp.JSON.readTree((String) episode.get("evaluation"));
        assertThat(stored.get("aiopslab").get("results")).isEqualTo(grade.get("results"));
        assertThat(stored.get("reward").get("value").asDouble()).isEqualTo(1.0);
        assertThat(stored.get("reward").get("success").asBoolean()).isTrue();
        assertThat(stored.get("submission").asString()).isEqualTo("submit([\"" + problem.faultyService() + "\"])");
        assertThat(stored.get("steps").asInt()).isEqualTo(2);
        assertThat(stored.get("max_steps").asInt()).isEqualTo(5);

        Map<String, Object> conversation = jdbc.queryForMap("SELECT * FROM conversation WHERE episode_id = ?",
                episode.get("id"));
        assertThat(conversation).containsEntry("status", "completed").containsEntry("policy", "external")
            .containsEntry("model", "qwen-test").containsEntry("protocol", "text").containsEntry("total_messages", 6);
        assertThat(conversation.get("id").toString()).isEqualTo(sid);
        List<Map<String, Object>> messages = jdbc.queryForList(
                "SELECT role, content, step FROM message WHERE conversation_id = ? ORDER BY seq", conversation.get("id"));
        assertThat(messages).extracting(m -> m.get("role"))
            .containsExactly("system", "user", "assistant", "user", "assistant", "user");
        assertThat(messages.get(0).get("content")).isEqualTo(opened.get("prompt").get(0).get("content").asString());
        assertThat((String) messages.get(2).get("content")).contains("kubectl get svc");
        assertThat(messages.get(3).get("content")).isEqualTo(step.get("observation").asString());
        assertThat((String) messages.get(4).get("content")).startsWith("It is the service.");
        assertThat(messages).extracting(m -> m.get("step")).containsExactly(0, 0, 1, 1, 2, 2);
    }

    @Test
    void fiftyConcurrentSessionsAreAllServedLoggedAndGraded() throws Exception {
        List<Problem> problems = CATALOG.problems().stream()
            .filter(p -> p.taskType() != TaskType.LOCALIZATION || !p.faultyService().matches(".*[;,].*")).toList();
        int sessions = 50;
        List<Callable<String>> players = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            Problem problem = problems.get((i * 7) % problems.size());
            long seed = 1000 + i;
            players.add(() -> play(problem, seed));
        }
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        List<String> episodeIds = new ArrayList<>();
        try {
            for (Future<String> f : pool.invokeAll(players)) {
                episodeIds.add(f.get());
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(episodeIds).doesNotHaveDuplicates().hasSize(sessions);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE source = 'session' AND status ="
                + " 'completed' AND evaluation IS NOT NULL AND success IS NOT NULL AND reward IS NOT NULL",
                Integer.class)).isEqualTo(sessions);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM conversation WHERE status = 'completed'", Integer.class))
            .isEqualTo(sessions);
        // Opening pair + (action, observation) for each of the two steps, every one a row.
        assertThat(jdbc.queryForList("SELECT conversation_id FROM message GROUP BY conversation_id"
                + " HAVING COUNT(*) <> 6")).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message", Integer.class)).isEqualTo(sessions * 6);
        // Every non-mitigation answer was the catalog's ground truth: all of them succeed under both gradings.
        List<Map<String, Object>> graded = jdbc.queryForList(
                "SELECT task_type, success, evaluation FROM episode WHERE source = 'session'");
        for (Map<String, Object> row : graded) {
            JsonNode evaluation = ServiceHttp.JSON.readTree((String) row.get("evaluation"));
            assertThat(evaluation.get("aiopslab").get("results").isObject()).isTrue();
            assertThat(evaluation.get("reward").get("value").isNumber()).isTrue();
            if (!"mitigation".equals(row.get("task_type"))) {
                assertThat(row.get("success")).as(row.toString()).isEqualTo(true);
                assertThat(evaluation.get("aiopslab").get("success").asBoolean()).isTrue();
            }
        }
        assertThat(server.getBean(EnvSessions.class).open()).isZero();
    }

    /** Opens, steps twice (a look around, then the catalog's answer), evaluates and deletes one session. */
    private String play(Problem problem, long seed) {
        JsonNode opened = open(problem.id(), "{\"seed\": " + seed + "}");
        String sid = opened.get("session_id").asString();
        JsonNode look = act(sid, "{\"action\": " + ServiceHttp.quote("exec_shell(\"kubectl get pods -n "
                + problem.namespace() + "\")") + "}");
        assertThat(look.get("done").asBoolean()).isFalse();
        JsonNode submitted = act(sid, "{\"action\": " + ServiceHttp.quote(answer(problem)) + "}");
        assertThat(submitted.get("done").asBoolean()).as(submitted.toString()).isTrue();
        ServiceHttp.Response evaluation = http.post("/sessions/" + sid + "/evaluation", "{}");
        assertThat(evaluation.status()).as(evaluation.body()).isEqualTo(200);
        assertThat(http.delete("/sessions/" + sid).status()).isEqualTo(204);
        return opened.get("episode_id").asString();
    }

    static String answer(Problem p) {
        return switch (p.taskType()) {
            case DETECTION -> "submit(\"" + p.expectedDetection() + "\")";
            case LOCALIZATION -> "submit([\"" + p.faultyService() + "\"])";
            case ANALYSIS -> "submit({\"system_level\": \"" + p.systemLevel() + "\", \"fault_type\": \"" + p.faultType()
                    + "\"})";
            case MITIGATION -> "submit()";
        };
    }

    @Test
    void limitsErrorsAndTheTokenAnswerWithAClearJsonError() {
        ServiceHttp anonymous = new ServiceHttp(http.base(), null);
        ServiceHttp.Response unauthorised = anonymous.get("/problems");
        assertThat(unauthorised.status()).isEqualTo(401);
        assertThat(unauthorised.json().get("error").asString()).contains("bearer token");
        assertThat(new ServiceHttp(http.base(), "wrong").post("/problems/x/sessions", "{}").status()).isEqualTo(401);

        JsonNode problems = http.get("/problems").json().get("problems");
        assertThat(problems).hasSize(CATALOG.problems().size());
        assertThat(problems.get(0).has("task_type")).isTrue();

        ServiceHttp.Response unknown = http.post("/problems/no-such-problem/sessions", "{\"seed\": 1}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asString()).isEqualTo("unknown problem 'no-such-problem'");
        ServiceHttp.Response badSeed = http.post("/problems/k8s_target_port-misconfig-detection-1/sessions",
                "{\"seed\": \"abc\"}");
        assertThat(badSeed.status()).isEqualTo(400);
        assertThat(badSeed.json().get("error").asString()).startsWith("seed: expected an integer");
        assertThat(http.post("/problems/k8s_target_port-misconfig-detection-1/sessions", "{\"max_steps\": 0}")
            .json().get("error").asString()).contains("max_steps");
        assertThat(http.post("/sessions/nope/actions", "{\"action\": \"submit(\\\"Yes\\\")\"}").status())
            .isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode", Integer.class))
            .as("nothing is logged for a refused request").isZero();

        List<String> open = new ArrayList<>();
        for (int i = 0; i < MAX_SESSIONS; i++) {
            open.add(open("k8s_target_port-misconfig-detection-1", "{\"seed\": " + i + "}").get("session_id")
                .asString());
        }
        ServiceHttp.Response full = http.post("/problems/k8s_target_port-misconfig-detection-1/sessions", "{}");
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.retryAfter()).isNotNull();
        assertThat(full.json().get("error").asString()).contains("too many open sessions (limit " + MAX_SESSIONS);
        JsonNode oneStep = act(open.getFirst(), "{\"action\": \"submit(\\\"Yes\\\")\", \"max_steps\": 3}");
        assertThat(oneStep.get("done").asBoolean()).isTrue();
        // Deleting before the evaluation frees a slot; the episode ends cancelled.
        assertThat(http.delete("/sessions/" + open.getFirst()).status()).isEqualTo(204);
        ServiceHttp.Response again = http.post("/problems/k8s_target_port-misconfig-detection-1/sessions", "{}");
        assertThat(again.status()).isEqualTo(201);
        open.add(again.json().get("session_id").asString());
        assertThat(jdbc.queryForObject("SELECT status FROM episode WHERE id = (SELECT episode_id FROM conversation"
                + " WHERE CAST(id AS VARCHAR(36)) = ?)", String.class, open.getFirst())).isEqualTo("cancelled");
        open.subList(1, open.size()).forEach(sid -> http.delete("/sessions/" + sid));
    }

    @Test
    void anIdleSessionIsClosedAndItsEpisodeEndsAsTimeout() throws Exception {
        JsonNode opened = open("k8s_target_port-misconfig-detection-1", "{\"seed\": 7, \"max_steps\": 2}");
        String sid = opened.get("session_id").asString();
        act(sid, "{\"action\": \"exec_shell(\\\"kubectl get pods -A\\\")\"}");
        JsonNode last = act(sid, "{\"action\": \"exec_shell(\\\"kubectl get svc -A\\\")\"}");
        assertThat(last.get("truncated").asBoolean()).as("the step budget is spent").isTrue();
        ServiceHttp.Response over = http.post("/sessions/" + sid + "/actions", "{\"action\": \"submit(\\\"Yes\\\")\"}");
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.json().get("error").asString()).contains("step budget of 2");

        long episodeId = opened.get("episode_id").asLong();
        waitFor(Duration.ofSeconds(30), () -> "timeout".equals(jdbc.queryForObject(
                "SELECT status FROM episode WHERE id = ?", String.class, episodeId)));
        assertThat(jdbc.queryForObject("SELECT error FROM episode WHERE id = ?", String.class, episodeId))
            .contains("idle");
        assertThat(jdbc.queryForObject("SELECT status FROM conversation WHERE episode_id = ?", String.class,
                episodeId)).isEqualTo("failed");
        ServiceHttp.Response gone = http.post("/sessions/" + sid + "/evaluation", "{}");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("error").asString()).contains("not found");
    }

    @Test
    void aSessionLeftRunningByAServerThatDiedIsEndedAsFailed() throws Exception {
        JsonNode opened = open("k8s_target_port-misconfig-detection-1", "{\"seed\": 8}");
        long live = opened.get("episode_id").asLong();
        // Another server's session whose heartbeats stopped an hour ago.
        jdbc.update("INSERT INTO episode (run_id, source, problem_id, task_type, application, sample_index, group_id,"
                + " seed, status, attempt, worker_id, policy, environment, model, max_steps, timeout_seconds, parameters,"
                + " created_at, started_at, heartbeat_at) SELECT NULL, source, problem_id, task_type, application, 0,"
                + " group_id, 9, 'running', 1, 'dead-host-1-envservice', policy, environment, model, max_steps,"
                + " timeout_seconds, parameters, created_at, started_at, CAST(? AS TIMESTAMP WITH TIME ZONE)"
                + " FROM episode WHERE id = ?", java.time.OffsetDateTime.now().minusHours(1), live);
        waitFor(Duration.ofSeconds(20), () -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM episode WHERE status = 'failed' AND worker_id = 'dead-host-1-envservice'",
                Integer.class) == 1);
        assertThat(jdbc.queryForObject("SELECT error FROM episode WHERE worker_id = 'dead-host-1-envservice'",
                String.class)).contains("environment service stopped");
        assertThat(jdbc.queryForObject("SELECT status FROM episode WHERE id = ?", String.class, live))
            .as("this server's live session keeps its heartbeat").isEqualTo("running");
        assertThat(http.delete("/sessions/" + opened.get("session_id").asString()).status()).isEqualTo(204);
    }

    private static JsonNode open(String problemId, String body) {
        ServiceHttp.Response response = http.post("/problems/" + problemId + "/sessions", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private static JsonNode act(String sid, String body) {
        ServiceHttp.Response response = http.post("/sessions/" + sid + "/actions", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static void waitFor(Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
