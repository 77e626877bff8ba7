package dev.rolloutbatch.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.agent.openai.OpenAiEndpoint;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's flow over real HTTP against PostgreSQL: two tasks with different models, wait, then the task, its
 * conversation, messages and both stats endpoints, each number checked against the database.
 * <p>
 * The seed flow's tasks use the real {@code openai} policy ({@code use_llm: true}) against the OpenAI-protocol
 * fixture server, in the {@code simulated} environment; the offline tasks of the other tests use the test-only
 * {@code echo-test} policy, whose pace they control.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.maximum-pool-size=8",
        // Offline tasks use the test-only echo-test policy: its slow-* models never submit, for the cancel test.
        "rollout.api.offline-policy=echo-test",
        "rollout.api.poll-interval=100ms", "rollout.api.heartbeat-interval=200ms", "rollout.api.stale-after=2s",
        "rollout.api.worker-prefix=flow" })
@ActiveProfiles({ "pgtest", "serve" })
@DirtiesContext // stops this server's workers: a cached context would keep claiming other tests' tasks
@Import(ApiTestBeans.class)
class ApiFlowIntegrationTests {

    /** The OpenAI-protocol fixture server that answers the {@code use_llm: true} tasks. */
    static final OpenAiProtocolFixture llm = OpenAiProtocolFixture.start();

    @TestConfiguration(proxyBeanMethods = false)
    static class Llm {

        @Bean
        @Primary
        OpenAiEndpoint fixtureEndpoint() {
            return new OpenAiEndpoint(llm.baseUrl(), "sk-api-test", null);
        }
    }

    @AfterAll
    static void stopFixture() {
        llm.close();
    }

    static final String DETECTION = "k8s_target_port-misconfig-detection-1";
    static final String MITIGATION = "k8s_target_port-misconfig-mitigation-1";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void setUp() {
        DatabaseCleaner.clean(jdbc);
        llm.reset();
        http = Http.local(port);
    }

    @Test
    void seedFlowWithTwoModels() {
        // Each task answers with its own submit: a mitigation's submit() takes no argument (AIOpsLab's signature).
        llm.responder(request -> request.json().get("model").asString().equals("gpt-4o-mini")
                ? Reply.content("```\nsubmit()\n```") : Reply.content("```\nsubmit(\"Yes\")\n```"));
        JsonNode detection = create(DETECTION, "gpt-4o", 0.7, true);
        JsonNode mitigation = create(MITIGATION, "gpt-4o-mini", 0.2, true);
        assertThat(detection.get("status").stringValue()).isEqualTo("pending");
        assertThat(detection.get("problem_id").stringValue()).isEqualTo(DETECTION);
        assertThat(detection.get("parameters").get("max_steps").intValue()).isEqualTo(30);
        assertThat(detection.get("parameters").get("agent_config").get("model").stringValue()).isEqualTo("gpt-4o");
        assertThat(detection.get("created_at").stringValue()).endsWith("Z");
        long detectionId = detection.get("id").longValue();
        long mitigationId = mitigation.get("id").longValue();
        assertThat(jdbc.queryForMap("SELECT source, run_id, environment FROM episode WHERE id = ?", detectionId))
            .containsEntry("source", "api").containsEntry("run_id", null).containsEntry("environment", "simulated");

        JsonNode done = awaitStatus(detectionId, "completed");
        awaitStatus(mitigationId, "completed");

        // The task: worker id as in the database, UTC timestamps in order, the result of its conversation.
        Map<String, Object> row = jdbc.queryForMap("SELECT worker_id, steps_taken, started_at, ended_at FROM episode"
                + " WHERE id = ?", detectionId);
        assertThat(done.get("worker_id").stringValue()).isEqualTo(row.get("worker_id")).matches("flow-worker-[1-3]");
        Instant started = Instant.parse(done.get("started_at").stringValue());
        Instant ended = Instant.parse(done.get("ended_at").stringValue());
        assertThat(done.get("started_at").stringValue()).endsWith("Z");
        assertThat(ended).isAfterOrEqualTo(started);
        assertThat(started).isEqualTo(((java.sql.Timestamp) row.get("started_at")).toInstant());
        JsonNode result = done.get("result");
        assertThat(result.get("success").booleanValue()).isTrue();
        assertThat(result.get("reward").doubleValue()).isEqualTo(1.0);
        assertThat(result.get("steps_taken").intValue()).isEqualTo(1).isEqualTo(row.get("steps_taken"));
        assertThat(result.get("solution").stringValue()).isEqualTo("submit(\"Yes\")");
        assertThat(jdbc.queryForObject("SELECT policy FROM episode WHERE id = ?", String.class, detectionId))
            .isEqualTo("openai");
        assertThat(done.get("parameters").get("use_llm").booleanValue()).isTrue();
        String conversationId = result.get("conversation_id").stringValue();
        long messagesInDb = count("SELECT COUNT(*) FROM message WHERE conversation_id = ?::uuid", conversationId);
        assertThat(messagesInDb).isGreaterThanOrEqualTo(3); // the opening messages, the answer, the observation
        assertThat(result.get("total_messages").longValue()).isEqualTo(messagesInDb);

        // The conversation: model, config, tokens and money as logged.
        JsonNode conversation = ok(http.get("/api/v1/llm-conversations/" + conversationId));
        assertThat(conversation.get("task_id").longValue()).isEqualTo(detectionId);
        assertThat(conversation.get("model").stringValue()).isEqualTo("gpt-4o");
        assertThat(conversation.get("llm_config").get("temperature").doubleValue()).isEqualTo(0.7);
        assertThat(conversation.get("started_at").stringValue()).endsWith("Z");
        assertThat(Instant.parse(conversation.get("ended_at").stringValue()))
            .isAfterOrEqualTo(Instant.parse(conversation.get("started_at").stringValue()));
        assertThat(conversation.get("total_messages").longValue()).isEqualTo(messagesInDb);
        assertThat(conversation.get("llm_calls").longValue()).isEqualTo(1);
        // The fixture reports prompt 120 (20 cached), completion 30 (5 reasoning): normalised to buckets.
        assertThat(conversation.get("tokens").get("input_uncached").longValue())
            .isEqualTo(count("SELECT SUM(input_uncached_tokens) FROM llm_call WHERE conversation_id = ?::uuid",
                    conversationId)).isEqualTo(100);
        assertThat(conversation.get("tokens").get("cache_read").longValue()).isEqualTo(20);
        assertThat(conversation.get("tokens").get("output").longValue()).isEqualTo(30);
        assertThat(conversation.get("tokens").get("reasoning").longValue()).isEqualTo(5);
        assertThat(conversation.get("tokens").get("total").longValue()).isEqualTo(150);
        BigDecimal costInDb = jdbc.queryForObject("SELECT SUM(cost_usd) FROM llm_call WHERE conversation_id = ?::uuid",
                BigDecimal.class, conversationId);
        // gpt-4o: 100 x $2.50/M + 20 x $1.25/M + 30 x $10/M = $0.000575: money, not a token count.
        assertThat(conversation.get("total_cost").decimalValue()).isEqualByComparingTo(costInDb)
            .isEqualByComparingTo("0.000575");
        assertThat(conversation.get("currency").stringValue()).isEqualTo("USD");

        JsonNode messages = ok(http.get("/api/v1/llm-conversations/" + conversationId + "/messages"));
        assertThat(messages.get("items")).hasSize((int) messagesInDb);
        assertThat(messages.get("items").get(0).get("role").stringValue()).isEqualTo("system");
        assertThat(messages.get("items").get(0).get("content").stringValue()).isEqualTo(jdbc.queryForObject(
                "SELECT content FROM message WHERE conversation_id = ?::uuid AND seq = 0", String.class,
                conversationId));
        JsonNode assistant = ok(http.get("/api/v1/llm-conversations/" + conversationId
                + "/messages?role=assistant&limit=1"));
        assertThat(assistant.get("total").longValue()).isEqualTo(1);
        assertThat(assistant.get("items")).hasSize(1);
        assertThat(assistant.get("items").get(0).get("role").stringValue()).isEqualTo("assistant");
        assertThat(assistant.get("items").get(0).get("content").stringValue()).contains("submit(\"Yes\")");
        assertThat(llm.requests()).hasSize(2);

        JsonNode ofTask = ok(http.get("/api/v1/llm-conversations/task/" + mitigationId + "/conversations"));
        assertThat(ofTask.get("items")).hasSize(1);
        assertThat(ofTask.get("items").get(0).get("model").stringValue()).isEqualTo("gpt-4o-mini");
        JsonNode byModel = ok(http.get("/api/v1/llm-conversations?model_name=gpt-4o-mini"));
        assertThat(byModel.get("total").longValue()).isEqualTo(1);
        assertThat(byModel.get("items").get(0).get("task_id").longValue()).isEqualTo(mitigationId);
        assertThat(ok(http.get("/api/v1/llm-conversations?task_id=" + detectionId)).get("items").get(0).get("id")
            .stringValue()).isEqualTo(conversationId);

        // Task stats against the database.
        JsonNode stats = ok(http.get("/api/v1/tasks/stats"));
        assertThat(stats.get("total").longValue()).isEqualTo(2);
        assertThat(stats.get("completed").longValue()).isEqualTo(2);
        assertThat(stats.get("pending").longValue()).isZero();
        // The simulated cluster is still broken after the mitigation task's bare submit: one success in two.
        assertThat(jdbc.queryForObject("SELECT success FROM episode WHERE id = ?", Boolean.class, mitigationId))
            .isFalse();
        assertThat(stats.get("success_rate").doubleValue()).isEqualTo(0.5);
        assertThat(stats.get("avg_execution_time").doubleValue()).isGreaterThanOrEqualTo(0.0)
            .isCloseTo(jdbc.queryForObject("SELECT AVG(EXTRACT(EPOCH FROM ended_at - started_at)) FROM episode",
                    Double.class), org.assertj.core.data.Offset.offset(0.001));
        assertThat(stats.get("tasks_by_problem").get(DETECTION).longValue()).isEqualTo(1);
        assertThat(stats.get("tasks_by_problem").get(MITIGATION).longValue()).isEqualTo(1);
        long byWorker = 0;
        for (var entry : stats.get("tasks_by_worker").properties()) {
            assertThat(entry.getKey()).matches("flow-worker-[1-3]");
            assertThat(entry.getValue().longValue())
                .isEqualTo(count("SELECT COUNT(*) FROM episode WHERE worker_id = ?", entry.getKey()));
            byWorker += entry.getValue().longValue();
        }
        assertThat(byWorker).isEqualTo(2);

        // Conversation summary against the database.
        JsonNode summary = ok(http.get("/api/v1/llm-conversations/stats/summary"));
        assertThat(summary.get("total").get("conversations").longValue()).isEqualTo(2);
        assertThat(summary.get("total").get("messages").longValue())
            .isEqualTo(count("SELECT COUNT(*) FROM message"));
        assertThat(summary.get("total").get("tokens").get("total").longValue()).isEqualTo(
                count("SELECT SUM(input_uncached_tokens + cache_read_tokens + cache_write_tokens + output_tokens)"
                        + " FROM llm_call"));
        assertThat(summary.get("total").get("total_cost").decimalValue())
            .isEqualByComparingTo(jdbc.queryForObject("SELECT SUM(cost_usd) FROM llm_call", BigDecimal.class));
        assertThat(summary.get("by_model")).hasSize(2);
        for (JsonNode model : summary.get("by_model")) {
            String name = model.get("model").stringValue();
            assertThat(model.get("conversations").longValue()).isEqualTo(1);
            assertThat(model.get("total_cost").decimalValue()).isEqualByComparingTo(jdbc.queryForObject(
                    "SELECT SUM(l.cost_usd) FROM llm_call l JOIN conversation c ON c.id = l.conversation_id"
                            + " WHERE c.model = ?", BigDecimal.class, name));
        }
        // gpt-4o-mini: 100 x $0.15/M + 20 x $0.075/M + 30 x $0.60/M = $0.0000345, written plain (not 3.45E-5).
        assertThat(http.get("/api/v1/llm-conversations/stats/summary").body()).contains("0.0000345")
            .doesNotContain("E-");

        // List with filters and pagination.
        JsonNode list = ok(http.get("/api/v1/tasks?status=completed&problem_id=" + MITIGATION));
        assertThat(list.get("total").longValue()).isEqualTo(1);
        assertThat(list.get("items").get(0).get("id").longValue()).isEqualTo(mitigationId);
        JsonNode page2 = ok(http.get("/api/v1/tasks?page=2&size=1"));
        assertThat(page2.get("total").longValue()).isEqualTo(2);
        assertThat(page2.get("items")).hasSize(1);
        assertThat(page2.get("items").get(0).get("id").longValue()).isEqualTo(detectionId); // newest first
        assertThat(ok(http.get("/api/v1/tasks?worker_id=" + row.get("worker_id"))).get("items").get(0).get("id")
            .longValue()).isIn(detectionId, mitigationId);

        // Metrics for Prometheus (counters are per process: only gpt-4o-mini is used by this test alone).
        String metrics = http.get("/actuator/prometheus").body();
        assertThat(metrics).contains("rollout_episodes{status=\"completed\"} 2.0")
            .contains("rollout_llm_tokens_total{bucket=\"output\",model=\"gpt-4o-mini\"} 30.0")
            .contains("rollout_llm_latency_seconds_count{model=\"gpt-4o-mini\"} 1")
            .contains("rollout_llm_cost_usd_total{model=\"gpt-4o\"}");
        assertThat(http.get("/health").json().get("status").stringValue()).isEqualTo("UP");
    }

    @Test
    void runningTaskIsCancelledAtTheNextStep() {
        long id = create(DETECTION, "slow-model", null).get("id").longValue();
        awaitStatus(id, "running");
        JsonNode cancelled = ok(http.post("/api/v1/tasks/" + id + "/cancel", ""));
        assertThat(cancelled.get("cancel_requested").booleanValue()).isTrue();
        JsonNode done = awaitStatus(id, "cancelled");
        assertThat(done.get("result").get("steps_taken").intValue()).isLessThan(1000);
        assertThat(Instant.parse(done.get("ended_at").stringValue()))
            .isAfterOrEqualTo(Instant.parse(done.get("started_at").stringValue()));
        assertThat(http.post("/api/v1/tasks/" + id + "/cancel", "").status()).isEqualTo(409);
    }

    @Test
    void taskOfADeadWorkerIsRequeuedAndRunAgain() {
        long id = create(DETECTION, "gpt-4o", null).get("id").longValue();
        awaitStatus(id, "completed");
        // Make it look like a worker of another server died while running it: running, heartbeat long ago.
        jdbc.update("UPDATE episode SET status = 'running', worker_id = 'dead-host-1-worker-1', ended_at = NULL,"
                + " heartbeat_at = ? WHERE id = ?", OffsetDateTime.now().minusMinutes(10), id);
        JsonNode again = awaitStatus(id, "completed");
        assertThat(again.get("attempt").intValue()).isEqualTo(2);
        assertThat(again.get("worker_id").stringValue()).startsWith("flow-worker-");
        assertThat(count("SELECT COUNT(*) FROM conversation WHERE episode_id = ?", id)).isEqualTo(2);
    }

    private JsonNode create(String problem, String model, Double temperature) {
        return create(problem, model, temperature, false);
    }

    private JsonNode create(String problem, String model, Double temperature, boolean useLlm) {
        String config = "{\"model\": \"" + model + "\"" + (temperature == null ? "" : ", \"temperature\": "
                + temperature) + "}";
        Http.Response response = http.post("/api/v1/tasks", "{\"problem_id\": \"" + problem + "\", \"parameters\":"
                + " {\"max_steps\": " + (model.startsWith("slow") ? 1000 : 30) + ", \"timeout\": 1800,"
                + " \"use_llm\": " + useLlm + ", \"agent_config\": " + config + "}}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private JsonNode awaitStatus(long id, String status) {
        JsonNode[] last = new JsonNode[1];
        Await.until("task " + id + " " + status, Duration.ofSeconds(30), () -> {
            last[0] = ok(http.get("/api/v1/tasks/" + id));
            return last[0].get("status").stringValue().equals(status);
        });
        return last[0];
    }

    private static JsonNode ok(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}
