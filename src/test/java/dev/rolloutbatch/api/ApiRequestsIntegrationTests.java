package dev.rolloutbatch.api;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Refusals (400 naming the field, 404, 409) and the queue without workers (tasks stay pending). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.maximum-pool-size=8",
        "rollout.api.environment=fixed-test", "rollout.api.offline-policy=echo-test", "rollout.api.workers=0",
        "rollout.openai.base-url=" })
@ActiveProfiles({ "pgtest", "serve" })
@DirtiesContext // stops this server's workers: a cached context would keep claiming other tests' tasks
@Import(ApiTestBeans.class)
class ApiRequestsIntegrationTests {

    static final String PROBLEM = "k8s_target_port-misconfig-detection-1";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void setUp() {
        DatabaseCleaner.clean(jdbc);
        http = Http.local(port);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "problem_id | {\"parameters\": {}}",
            "problem_id | {\"problem_id\": \"no-such-problem\"}",
            "problem_id | {\"problem_id\": 7}",
            "parameters | {\"problem_id\": \"" + PROBLEM + "\", \"parameters\": [1]}",
            "parameters.max_steps | {\"problem_id\": \"" + PROBLEM + "\", \"parameters\": {\"max_steps\": \"30\"}}",
            "parameters.max_steps | {\"problem_id\": \"" + PROBLEM + "\", \"parameters\": {\"max_steps\": 30.5}}",
            "parameters.max_steps | {\"problem_id\": \"" + PROBLEM + "\", \"parameters\": {\"max_steps\": 0}}",
            "parameters.timeout | {\"problem_id\": \"" + PROBLEM + "\", \"parameters\": {\"timeout\": -1}}",
            "parameters.use_llm | {\"problem_id\": \"" + PROBLEM + "\", \"parameters\": {\"use_llm\": \"yes\"}}",
            "parameters.max_step | {\"problem_id\": \"" + PROBLEM + "\", \"parameters\": {\"max_step\": 3}}",
            "parameters.agent_config | {\"problem_id\": \"" + PROBLEM + "\", \"parameters\": {\"agent_config\": 1}}",
            "parameters.agent_config.temperature | {\"problem_id\": \"" + PROBLEM
                    + "\", \"parameters\": {\"agent_config\": {\"model\": \"gpt-4\", \"temperature\": 3}}}",
            "parameters.agent_config.model | {\"problem_id\": \"" + PROBLEM
                    + "\", \"parameters\": {\"agent_config\": {\"model\": 4}}}",
            "parameters.agent_config.protocol | {\"problem_id\": \"" + PROBLEM
                    + "\", \"parameters\": {\"agent_config\": {\"protocol\": \"xml\"}}}",
            "parameters.agent_config.modle | {\"problem_id\": \"" + PROBLEM
                    + "\", \"parameters\": {\"agent_config\": {\"modle\": \"gpt-4o\"}}}",
            "parameters.agent_config.temperature | {\"problem_id\": \"" + PROBLEM
                    + "\", \"parameters\": {\"agent_config\": {\"temperature\": \"0.7\"}}}",
            "body | [1, 2]",
            "body | {not json" })
    void badSubmissionIsRefusedNamingTheField(String field, String body) {
        Http.Response response = http.post("/api/v1/tasks", body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("field").stringValue()).isEqualTo(field);
        assertThat(response.json().get("error").stringValue()).startsWith(field + ":");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode", Long.class)).isZero();
    }

    @Test
    void llmTaskIsRefusedWithoutAnEndpoint() {
        assumeTrue(System.getenv("OPENAI_BASE_URL") == null && System.getenv("OPENAI_API_KEY") == null,
                "an OpenAI endpoint is configured in this environment");
        Http.Response response = http.post("/api/v1/tasks", "{\"problem_id\": \"" + PROBLEM + "\", \"parameters\":"
                + " {\"use_llm\": true, \"agent_config\": {\"model\": \"gpt-4o\"}}}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("field").stringValue()).isEqualTo("parameters.use_llm");
        assertThat(response.json().get("error").stringValue()).contains("OPENAI_BASE_URL");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "/api/v1/tasks?status=done | status", "/api/v1/tasks?page=0 | page",
            "/api/v1/tasks?size=100000 | size", "/api/v1/tasks?limit=abc | limit",
            "/api/v1/tasks?page=1&offset=2 | page", "/api/v1/llm-conversations?task_id=x | task_id",
            "/api/v1/llm-conversations/not-a-uuid | id" })
    void badQueryIsRefusedNamingTheParameter(String path, String field) {
        Http.Response response = http.get(path);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("field").stringValue()).isEqualTo(field);
    }

    @Test
    void unknownIdsAreNotFound() {
        UUID unknown = UUID.randomUUID();
        assertThat(http.get("/api/v1/tasks/424242").status()).isEqualTo(404);
        assertThat(http.post("/api/v1/tasks/424242/cancel", "").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/llm-conversations/" + unknown).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/llm-conversations/" + unknown + "/messages").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/llm-conversations/task/424242/conversations").status()).isEqualTo(404);
    }

    @Test
    void pendingTaskIsCancelledAtOnceAndDefaultsAreShown() {
        Http.Response created = http.post("/api/v1/tasks", "{\"problem_id\": \"" + PROBLEM + "\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode task = created.json();
        assertThat(task.get("parameters").get("max_steps").intValue()).isEqualTo(30);
        assertThat(task.get("parameters").get("timeout").intValue()).isEqualTo(1800);
        assertThat(task.get("parameters").get("use_llm").booleanValue()).isFalse();
        assertThat(task.get("result").isNull()).isTrue();
        long id = task.get("id").longValue();
        assertThat(jdbc.queryForObject("SELECT policy FROM episode WHERE id = ?", String.class, id))
            .isEqualTo("echo-test");

        JsonNode cancelled = http.post("/api/v1/tasks/" + id + "/cancel", "").json();
        assertThat(cancelled.get("status").stringValue()).isEqualTo("cancelled");
        assertThat(cancelled.get("ended_at").stringValue()).endsWith("Z");
        assertThat(jdbc.queryForObject("SELECT status FROM episode WHERE id = ?", String.class, id))
            .isEqualTo("cancelled");
        assertThat(http.post("/api/v1/tasks/" + id + "/cancel", "").status()).isEqualTo(409);

        JsonNode stats = http.get("/api/v1/tasks/stats").json();
        assertThat(stats.get("total").longValue()).isEqualTo(1);
        assertThat(stats.get("cancelled").longValue()).isEqualTo(1);
        assertThat(stats.get("success_rate").isNull()).isTrue();
        assertThat(stats.get("tasks_by_worker").isEmpty()).isTrue();
    }

    @Test
    void listFiltersAreBoundNotInterpolated() {
        assertThat(http.post("/api/v1/tasks", "{\"problem_id\": \"" + PROBLEM + "\"}").status()).isEqualTo(201);
        JsonNode injected = http.get("/api/v1/tasks?problem_id=x%27%20OR%20%271%27=%271").json();
        assertThat(injected.get("total").longValue()).isZero();
        assertThat(http.get("/api/v1/tasks?problem_id=" + PROBLEM).json().get("total").longValue()).isEqualTo(1);
        assertThat(http.get("/api/v1/tasks?status=pending&limit=1&offset=0").json().get("items")).hasSize(1);
    }
}
