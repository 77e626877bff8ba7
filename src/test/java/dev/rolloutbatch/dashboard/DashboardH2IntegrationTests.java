package dev.rolloutbatch.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's queries on the embedded H2 default that {@code serve} uses when no PostgreSQL is configured
 * (its dialect differs: no jsonb), on a real collected run in an in-memory database.
 */
@SpringBatchTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "rollout.api.workers=0",
        "spring.datasource.url=jdbc:h2:mem:dashboard;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
        "spring.datasource.hikari.maximum-pool-size=4" })
@ActiveProfiles("serve")
@DirtiesContext
class DashboardH2IntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    @Qualifier("collectJob")
    Job collectJob;

    @Test
    void everyFigureIsServedFromH2WithBothGradings() throws Exception {
        CollectedRuns runs = CollectedRuns.collect(jdbc, jobs, collectJob);
        JsonNode list = get("/api/dashboard/runs");
        assertThat(list.get("total").asLong()).isEqualTo(2);
        JsonNode older = list.get("items").get(1);
        long succeeded = jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE run_id = ? AND success", Long.class,
                runs.older());
        assertThat(older.get("succeeded").asLong()).isEqualTo(succeeded).isLessThan(older.get("episodes").asLong());
        // In this run the two gradings agree episode by episode (the collected evaluations say so).
        long aiopslab = jdbc.queryForList("SELECT evaluation FROM episode WHERE run_id = ?", String.class, runs.older())
            .stream()
            .filter(e -> JSON.readTree(e).path("aiopslab").path("success").asBoolean())
            .count();
        assertThat(older.get("aiopslabSucceeded").asLong()).isEqualTo(aiopslab);

        JsonNode run = get("/api/dashboard/runs/" + runs.older());
        assertThat(run.get("latency").get("calls").asLong()).isPositive();
        assertThat(run.get("latency").get("overTime")).isNotEmpty();
        assertThat(run.get("rewardHistogram").valueStream().mapToLong(b -> b.get("count").asLong()).sum())
            .isEqualTo(older.get("finished").asLong());
        assertThat(run.get("slowest")).hasSize(DashboardRepository.TOP);
        JsonNode problems = get("/api/dashboard/runs/" + runs.older() + "/problems?size=500");
        assertThat(problems.get("items").get(0).get("passAtK").size()).isEqualTo(CollectedRuns.OLDER_SAMPLES);
        assertThat(problems.get("items").get(0).get("rewardCiLow").isNumber()).isTrue();
        assertThat(get("/api/dashboard/compare?a=" + runs.older() + "&b=" + runs.newer()).get("problems").get("total")
            .asLong()).isEqualTo(problems.get("total").asLong());
        long episode = jdbc.queryForObject("SELECT MIN(id) FROM episode", Long.class);
        assertThat(get("/api/dashboard/episodes/" + episode).get("conversations").get(0).get("messages"))
            .isNotEmpty();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
