package dev.rolloutbatch.dashboard;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
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
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The dashboard's JSON figures of two real collected runs on PostgreSQL, checked against the raw episode rows:
 * every expected number here is recomputed from the rows in Java (evaluation JSON parsed with Jackson, pass@k by
 * counting subsets), not read back from the same SQL.
 */
@SpringBatchTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { DashboardApiIntegrationTests.TOKEN_PROPERTY, "rollout.api.workers=0",
                "spring.datasource.hikari.maximum-pool-size=8" })
@ActiveProfiles({ "pgtest", "serve" })
class DashboardApiIntegrationTests {

    static final String TOKEN = "dash-s3cret";
    static final String TOKEN_PROPERTY = "rollout.api.token=" + TOKEN;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static CollectedRuns runs;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    @Qualifier("collectJob")
    Job collectJob;

    @BeforeEach
    void collectOnce() throws Exception {
        runs = CollectedRuns.ensure(jdbc, jobs, collectJob);
    }

    @Test
    void figuresNeedTheBearerTokenButThePagesDoNot() throws Exception {
        assertThat(get("/api/dashboard/runs", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/dashboard/runs", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/dashboard/runs", TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> page = get("/dashboard/index.html", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>rollout-batch").doesNotContain("http://", "https://");
        HttpResponse<String> shortcut = get("/dashboard", null);
        assertThat(shortcut.statusCode()).isEqualTo(302);
        assertThat(shortcut.headers().firstValue("Location")).hasValue("/dashboard/index.html");
        assertThat(get("/dashboard/dashboard.js", null).body()).doesNotContain("https://", "cdn");
        assertThat(get("/api/dashboard/runs/999999", TOKEN).statusCode()).isEqualTo(404);
        assertThat(get("/api/dashboard/runs?size=0", TOKEN).statusCode()).isEqualTo(400);
        assertThat(get("/api/dashboard/runs?from=yesterday", TOKEN).body()).contains("from must be a date");
    }

    @Test
    void runsListCountsEpisodesAndBothGradingsAndFilters() throws Exception {
        JsonNode list = json("/api/dashboard/runs");
        assertThat(list.get("total").asLong()).isEqualTo(2);
        assertThat(list.get("items").get(0).get("id").asLong()).as("newest first").isEqualTo(runs.newer());
        for (JsonNode run : list.get("items")) {
            long id = run.get("id").asLong();
            List<Row> rows = rows(id);
            long finished = rows.stream().filter(Row::finished).count();
            assertThat(run.get("episodes").asLong()).isEqualTo(rows.size());
            assertThat(run.get("finished").asLong()).isEqualTo(finished);
            assertThat(run.get("progress").asDouble()).isEqualTo(1.0);
            assertThat(run.get("succeeded").asLong()).isEqualTo(rows.stream().filter(Row::success).count());
            assertThat(run.get("aiopslabSucceeded").asLong())
                .isEqualTo(rows.stream().filter(Row::aiopslabSuccess).count());
            assertThat(run.get("successRate").asDouble())
                .isCloseTo((double) rows.stream().filter(Row::success).count() / finished, within(1e-9));
            Map<String, Object> stored = jdbc.queryForMap("SELECT * FROM run WHERE id = ?", id);
            assertThat(run.get("inputTokens").asLong()).isEqualTo(((Number) stored.get("input_tokens")).longValue())
                .isPositive();
            assertThat(run.get("outputTokens").asLong()).isEqualTo(((Number) stored.get("output_tokens")).longValue());
            assertThat(run.get("costUsd").decimalValue()).isEqualByComparingTo((BigDecimal) stored.get("cost_usd"));
            assertThat(run.get("status").asString()).isEqualTo("completed");
            assertThat(run.get("durationSeconds").asDouble()).isPositive();
        }
        assertThat(json("/api/dashboard/runs?from=2026-11-29").get("total").asLong()).isEqualTo(1);
        assertThat(json("/api/dashboard/runs?to=2026-11-28").get("items").get(0).get("id").asLong())
            .isEqualTo(runs.older());
        assertThat(json("/api/dashboard/runs?model=SCRIPTED").get("total").asLong()).isEqualTo(2);
        assertThat(json("/api/dashboard/runs?model=gpt-nothing").get("total").asLong()).isZero();
        assertThat(json("/api/dashboard/runs?status=running").get("total").asLong()).isZero();
        assertThat(json("/api/dashboard/runs?size=1&page=2").get("items").get(0).get("id").asLong())
            .isEqualTo(runs.older());
    }

    @Test
    void problemFiguresMatchTheRowsWithIntervalsAndUnbiasedPassAtK() throws Exception {
        long id = runs.older();
        Map<String, List<Row>> byProblem = new TreeMap<>();
        rows(id).forEach(r -> byProblem.computeIfAbsent(r.problemId(), k -> new ArrayList<>()).add(r));
        JsonNode page = json("/api/dashboard/runs/" + id + "/problems?size=3");
        assertThat(page.get("total").asLong()).isEqualTo(byProblem.size());
        assertThat(page.get("items")).hasSize(3);
        JsonNode all = json("/api/dashboard/runs/" + id + "/problems?size=500").get("items");
        assertThat(all).hasSize(byProblem.size());
        // The step limits of the varied list: two problems the scripted agent cannot finish within them (it needs
        // 7 steps for the first since the twin shows AIOpsLab's telemetry); pass@k with partial groups is
        // SampleStatsTests' part.
        assertThat(byProblem.get("revoke_auth_mongodb-localization-1").stream().filter(Row::success).count())
            .isZero();
        assertThat(byProblem.get("flower_node_stop-detection").stream().filter(Row::success).count()).isZero();
        for (JsonNode p : all) {
            List<Row> samples = byProblem.get(p.get("key").asString());
            assertThat(samples).hasSize(CollectedRuns.OLDER_SAMPLES);
            int n = samples.size();
            int c = (int) samples.stream().filter(Row::success).count();
            int ca = (int) samples.stream().filter(Row::aiopslabSuccess).count();
            assertThat(p.get("episodes").asLong()).isEqualTo(n);
            assertThat(p.get("succeeded").asLong()).isEqualTo(c);
            assertThat(p.get("aiopslabSucceeded").asLong()).isEqualTo(ca);
            double mean = samples.stream().mapToDouble(Row::reward).average().orElseThrow();
            double var = samples.stream().mapToDouble(r -> (r.reward() - mean) * (r.reward() - mean)).sum() / (n - 1);
            double half = 4.303 * Math.sqrt(var) / Math.sqrt(n); // t(0.975, 2 degrees of freedom)
            assertThat(p.get("meanReward").asDouble()).isCloseTo(mean, within(1e-9));
            assertThat(p.get("rewardCiLow").asDouble()).isCloseTo(mean - half, within(1e-9));
            assertThat(p.get("rewardCiHigh").asDouble()).isCloseTo(mean + half, within(1e-9));
            assertThat(p.get("passAtK").propertyNames()).containsExactly("1", "2", "3");
            for (int k = 1; k <= n; k++) {
                assertThat(p.get("passAtK").get(Integer.toString(k)).asDouble()).as("pass@%d", k)
                    .isCloseTo(passByEnumeration(samples, k, Row::success), within(1e-9));
                assertThat(p.get("aiopslabPassAtK").get(Integer.toString(k)).asDouble())
                    .isCloseTo(passByEnumeration(samples, k, Row::aiopslabSuccess), within(1e-9));
            }
        }
    }

    @Test
    void runFiguresMatchTheRows() throws Exception {
        long id = runs.older();
        List<Row> rows = rows(id);
        JsonNode detail = json("/api/dashboard/runs/" + id);
        long types = rows.stream().map(Row::taskType).distinct().count();
        assertThat(detail.get("byTaskType")).hasSize((int) types);
        for (JsonNode t : detail.get("byTaskType")) {
            List<Row> mine = rows.stream().filter(r -> r.taskType().equals(t.get("key").asString())).toList();
            assertThat(t.get("episodes").asLong()).isEqualTo(mine.size());
            assertThat(t.get("succeeded").asLong()).isEqualTo(mine.stream().filter(Row::success).count());
            assertThat(t.get("meanReward").asDouble())
                .isCloseTo(mine.stream().mapToDouble(Row::reward).average().orElseThrow(), within(1e-9));
            // pass@1 averaged over problems equals the success rate when every problem has the same n.
            assertThat(t.get("passAtK").get("1").asDouble()).isCloseTo(t.get("successRate").asDouble(), within(1e-9));
            Map<String, List<Row>> problems = new TreeMap<>();
            mine.forEach(r -> problems.computeIfAbsent(r.problemId(), k -> new ArrayList<>()).add(r));
            for (int k = 1; k <= CollectedRuns.OLDER_SAMPLES; k++) {
                int kk = k;
                assertThat(t.get("passAtK").get(Integer.toString(k)).asDouble()).as("%s pass@%d", t.get("key"), k)
                    .isCloseTo(problems.values().stream().mapToDouble(p -> passByEnumeration(p, kk, Row::success))
                        .average().orElseThrow(), within(1e-9));
            }
        }
        JsonNode bins = detail.get("rewardHistogram");
        double lo = bins.get(0).get("low").asDouble();
        double width = bins.get(0).get("high").asDouble() - lo;
        long[] expected = new long[bins.size()];
        for (Row r : rows) {
            expected[width == 0 ? 0 : (int) Math.min(Math.floor((r.reward() - lo) / width), bins.size() - 1)]++;
        }
        long histogramTotal = 0;
        for (int i = 0; i < bins.size(); i++) {
            assertThat(bins.get(i).get("count").asLong()).as("bin %d", i).isEqualTo(expected[i]);
            histogramTotal += bins.get(i).get("count").asLong();
        }
        assertThat(histogramTotal).isEqualTo(rows.size());
        JsonNode problemBins = json("/api/dashboard/runs/" + id + "/rewards?problem_id=revoke_auth_mongodb-localization-1");
        List<Row> problemRows = rows.stream().filter(r -> r.problemId().equals("revoke_auth_mongodb-localization-1"))
            .toList();
        assertThat(problemBins.get(0).get("low").asDouble())
            .isEqualTo(problemRows.stream().mapToDouble(Row::reward).min().orElseThrow());
        assertThat(problemBins.valueStream().mapToLong(b -> b.get("count").asLong()).sum())
            .isEqualTo(problemRows.size());
        assertThat(json("/api/dashboard/runs/" + id + "/rewards?task_type=analysis").valueStream()
            .mapToLong(b -> b.get("count").asLong()).sum())
            .isEqualTo(rows.stream().filter(r -> r.taskType().equals("analysis")).count());
        long unsuccessful = rows.stream().filter(r -> !r.success()).count();
        assertThat(unsuccessful).isPositive();
        assertThat(bins.size()).isGreaterThan(1);
        assertThat(detail.get("failureClasses").valueStream().mapToLong(f -> f.get("count").asLong()).sum())
            .isEqualTo(unsuccessful);

        Map<String, Object> calls = jdbc.queryForMap("""
                SELECT COUNT(*) AS n, MAX(l.latency_ms) AS mx, SUM(l.output_tokens) AS output
                FROM llm_call l JOIN conversation c ON c.id = l.conversation_id JOIN episode e ON e.id = c.episode_id
                WHERE e.run_id = ?""", id);
        JsonNode latency = detail.get("latency");
        assertThat(latency.get("calls").asLong()).isEqualTo(((Number) calls.get("n")).longValue()).isPositive();
        assertThat(latency.get("max").asLong()).isEqualTo(((Number) calls.get("mx")).longValue());
        assertThat(latency.get("p50").asDouble()).isLessThanOrEqualTo(latency.get("p90").asDouble());
        assertThat(latency.get("overTime").valueStream().mapToLong(b -> b.get("calls").asLong()).sum())
            .isEqualTo(latency.get("calls").asLong());
        assertThat(detail.get("byModel").get(0).get("model").asString()).isEqualTo("scripted-baseline");
        assertThat(detail.get("byModel").get(0).get("outputTokens").asLong())
            .isEqualTo(((Number) calls.get("output")).longValue());

        JsonNode slowest = detail.get("slowest");
        assertThat(slowest).hasSize(DashboardRepository.TOP);
        double longest = rows.stream().mapToDouble(Row::seconds).max().orElseThrow();
        assertThat(slowest.get(0).get("seconds").asDouble()).isCloseTo(longest, within(1e-3));
        assertThat(detail.get("mostExpensive")).hasSize(DashboardRepository.TOP);
    }

    @Test
    void twoRunsSideBySideProblemByProblem() throws Exception {
        JsonNode compare = json("/api/dashboard/compare?a=" + runs.older() + "&b=" + runs.newer() + "&size=500");
        JsonNode problems = compare.get("problems").get("items");
        assertThat(compare.get("problems").get("total").asLong()).isEqualTo(problems.size());
        for (JsonNode p : problems) {
            String problem = p.get("problemId").asString();
            for (String side : new String[] { "a", "b" }) {
                long run = side.equals("a") ? runs.older() : runs.newer();
                List<Row> mine = rows(run).stream().filter(r -> r.problemId().equals(problem)).toList();
                assertThat(p.get(side).get("episodes").asLong()).isEqualTo(mine.size());
                assertThat(p.get(side).get("succeeded").asLong()).isEqualTo(mine.stream().filter(Row::success).count());
            }
            assertThat(p.get("a").get("episodes").asLong()).isEqualTo(CollectedRuns.OLDER_SAMPLES);
            assertThat(p.get("b").get("episodes").asLong()).isEqualTo(CollectedRuns.NEWER_SAMPLES);
        }
    }

    @Test
    void anEpisodeCarriesItsConversationCallsAndGrading() throws Exception {
        long episodeId = jdbc.queryForObject("SELECT MIN(id) FROM episode WHERE run_id = ?", Long.class, runs.older());
        JsonNode episode = json("/api/dashboard/episodes/" + episodeId);
        assertThat(episode.get("episode").get("id").asLong()).isEqualTo(episodeId);
        assertThat(episode.get("evaluation").has("aiopslab")).isTrue();
        JsonNode conversation = episode.get("conversations").get(0);
        String conversationId = conversation.get("id").asString();
        assertThat(conversation.get("messages")).hasSize(jdbc.queryForObject(
                "SELECT COUNT(*) FROM message WHERE conversation_id = CAST(? AS UUID)", Integer.class, conversationId));
        assertThat(conversation.get("calls")).hasSize(jdbc.queryForObject(
                "SELECT COUNT(*) FROM llm_call WHERE conversation_id = CAST(? AS UUID)", Integer.class, conversationId));
        assertThat(conversation.get("messages").get(0).get("role").asString()).isEqualTo("system");
        assertThat(json("/api/dashboard/runs/" + runs.older() + "/episodes?problem_id="
                + conversationProblem(episode)).get("total").asLong()).isEqualTo(CollectedRuns.OLDER_SAMPLES);
    }

    private static String conversationProblem(JsonNode episode) {
        return java.net.URLEncoder.encode(episode.get("episode").get("problemId").asString(),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The chance that k samples drawn without replacement hold a success, by listing every k-subset. */
    private static double passByEnumeration(List<Row> samples, int k, java.util.function.Predicate<Row> success) {
        int n = samples.size();
        int subsets = 0;
        int hits = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != k) {
                continue;
            }
            subsets++;
            for (int i = 0; i < n; i++) {
                if ((mask & 1 << i) != 0 && success.test(samples.get(i))) {
                    hits++;
                    break;
                }
            }
        }
        return (double) hits / subsets;
    }

    private List<Row> rows(long runId) {
        return jdbc.query("""
                SELECT problem_id, task_type, status, success, reward, evaluation,
                    EXTRACT(EPOCH FROM ended_at - started_at) AS seconds
                FROM episode WHERE run_id = ? ORDER BY problem_id, sample_index""", (rs, i) -> {
            boolean success = rs.getBoolean("success");
            JsonNode flag = JSON.readTree(rs.getString("evaluation")).path("aiopslab").path("success");
            return new Row(rs.getString("problem_id"), rs.getString("task_type"),
                    !rs.getString("status").equals("pending") && !rs.getString("status").equals("running"), success,
                    flag.isBoolean() ? flag.asBoolean() : success, rs.getDouble("reward"), rs.getDouble("seconds"));
        }, runId);
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = get(path, TOKEN);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private record Row(String problemId, String taskType, boolean finished, boolean success, boolean aiopslabSuccess,
            double reward, double seconds) {
    }
}
