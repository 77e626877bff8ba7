package dev.rolloutbatch.api;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request limits over real HTTP: a body over {@code rollout.api.max-request-size} is refused with 413 and a JSON
 * error (whether its length is declared or it arrives chunked) and nothing is stored; a page larger than
 * {@code rollout.api.max-page-size} is a 400 naming the limit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.maximum-pool-size=4", "rollout.api.environment=fixed-test",
        "rollout.api.offline-policy=echo-test", "rollout.api.workers=0", "rollout.api.max-request-size=4KB",
        "rollout.api.max-page-size=20" })
@ActiveProfiles({ "pgtest", "serve" })
@DirtiesContext
@Import(ApiTestBeans.class)
class ApiLimitsIntegrationTests {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String PROBLEM = "k8s_target_port-misconfig-detection-1";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413AndNothingIsStored() throws Exception {
        String big = task("x".repeat(8 * 1024));

        HttpResponse<String> declared = send(HttpRequest.BodyPublishers.ofString(big));
        HttpResponse<String> chunked = send(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))));

        for (HttpResponse<String> response : java.util.List.of(declared, chunked)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.get("status").intValue()).isEqualTo(413);
            assertThat(error.get("field").stringValue()).isEqualTo("body");
            assertThat(error.get("error").stringValue()).contains("4096 bytes").contains("rollout.api.max-request-size");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode", Integer.class)).isZero();

        HttpResponse<String> small = send(HttpRequest.BodyPublishers.ofString(task("END")));
        assertThat(small.statusCode()).as(small.body()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode", Integer.class)).isOne();
    }

    @Test
    void aPageOverTheLimitIsRefusedNamingTheLimit() {
        Http http = Http.local(port);
        for (String path : new String[] { "/api/v1/tasks?limit=21", "/api/v1/tasks?size=21",
                "/api/v1/llm-conversations?limit=21" }) {
            Http.Response response = http.get(path);
            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.json().get("error").stringValue()).as(path).contains("between 1 and 20");
        }
        assertThat(http.get("/api/v1/tasks?limit=20").status()).isEqualTo(200);
    }

    private HttpResponse<String> send(HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tasks"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(body)
            .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A task whose stop sequence makes the body as large as wanted. */
    private static String task(String stop) {
        return "{\"problem_id\": \"" + PROBLEM + "\", \"parameters\": {\"agent_config\": {\"model\": \"gpt-4o\","
                + " \"stop\": [\"" + stop + "\"]}}}";
    }
}
