package dev.rolloutbatch.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.RolloutBatchApplication;

import static org.assertj.core.api.Assertions.assertThat;

/** Two servers (two application contexts, each with its own web server and worker pool) on one database. */
class TwoServersIntegrationTests {

    static final String PROBLEM = "k8s_target_port-misconfig-detection-1";

    private final List<ConfigurableApplicationContext> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void twoServersClaimFromOneQueueWithoutRunningAnyTaskTwice() {
        JdbcTemplate jdbc = database();
        DatabaseCleaner.clean(jdbc);
        ConfigurableApplicationContext a = start("server-a", 3);
        ConfigurableApplicationContext b = start("server-b", 3);
        List<Http> https = List.of(http(a), http(b));
        int tasks = 40;
        for (int i = 0; i < tasks; i++) {
            Http.Response response = https.get(i % 2).post("/api/v1/tasks", "{\"problem_id\": \"" + PROBLEM
                    + "\", \"parameters\": {\"agent_config\": {\"model\": \"gpt-4o\"}}}");
            assertThat(response.status()).isEqualTo(201);
        }
        Await.until("all tasks completed", Duration.ofSeconds(60), () -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM episode WHERE status = 'completed'", Long.class) == tasks);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE attempt <> 1", Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM conversation", Long.class)).isEqualTo(tasks);
        assertThat(jdbc.queryForList("SELECT episode_id FROM conversation GROUP BY episode_id HAVING COUNT(*) > 1"))
            .isEmpty();
        List<Map<String, Object>> byWorker = jdbc.queryForList(
                "SELECT worker_id, COUNT(*) AS n FROM episode GROUP BY worker_id");
        assertThat(byWorker).allSatisfy(row -> assertThat((String) row.get("worker_id"))
            .matches("server-[ab]-worker-[1-3]"));
        assertThat(byWorker).anySatisfy(row -> assertThat((String) row.get("worker_id")).startsWith("server-a-"));
        assertThat(byWorker).anySatisfy(row -> assertThat((String) row.get("worker_id")).startsWith("server-b-"));
        // Both servers report the same totals from the shared database.
        assertThat(http(b).get("/api/v1/tasks/stats").json().get("completed").longValue()).isEqualTo(tasks);
    }

    @Test
    void taskRunningWhenAServerStopsRunsAgainOnTheNextServer() {
        JdbcTemplate jdbc = database();
        DatabaseCleaner.clean(jdbc);
        ConfigurableApplicationContext a = start("server-a", 1);
        // slow-model never submits: the task is still running when the server stops.
        long id = http(a).post("/api/v1/tasks", "{\"problem_id\": \"" + PROBLEM + "\", \"parameters\": {\"max_steps\":"
                + " 1000, \"agent_config\": {\"model\": \"slow-model\"}}}").json().get("id").longValue();
        Await.until("task running", Duration.ofSeconds(20), () -> "running".equals(
                jdbc.queryForObject("SELECT status FROM episode WHERE id = ?", String.class, id)));
        a.close();
        assertThat(jdbc.queryForMap("SELECT status, worker_id, attempt FROM episode WHERE id = ?", id))
            .containsEntry("status", "pending").containsEntry("worker_id", null).containsEntry("attempt", 1);
        assertThat(jdbc.queryForObject("SELECT status FROM conversation WHERE episode_id = ?", String.class, id))
            .isEqualTo("aborted");

        ConfigurableApplicationContext b = start("server-b", 1);
        Await.until("task running again", Duration.ofSeconds(20), () -> "running".equals(
                jdbc.queryForObject("SELECT status FROM episode WHERE id = ?", String.class, id)));
        assertThat(jdbc.queryForMap("SELECT worker_id, attempt FROM episode WHERE id = ?", id))
            .containsEntry("worker_id", "server-b-worker-1").containsEntry("attempt", 2);
        assertThat(http(b).post("/api/v1/tasks/" + id + "/cancel", "").status()).isEqualTo(200);
        Await.until("task cancelled", Duration.ofSeconds(20), () -> "cancelled".equals(
                jdbc.queryForObject("SELECT status FROM episode WHERE id = ?", String.class, id)));
    }

    private ConfigurableApplicationContext start(String name, int workers) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RolloutBatchApplication.class,
                ApiTestBeans.class)
            .profiles("pgtest", "serve")
            .run(args(name, workers));
        servers.add(context);
        return context;
    }

    /** Command-line arguments: they win over application-serve.yml (default properties would not). */
    private static String[] args(String name, int workers) {
        List<String> args = new ArrayList<>();
        for (String property : ApiTestBeans.PROPERTIES) {
            args.add("--" + property);
        }
        args.addAll(List.of("--server.port=0", "--rollout.api.worker-prefix=" + name,
                "--rollout.api.workers=" + workers,
                "--rollout.api.shutdown-grace=10s"));
        return args.toArray(String[]::new);
    }

    /** A connection of the test's own, which outlives the servers. */
    private static JdbcTemplate database() {
        String url = System.getenv().getOrDefault("ROLLOUT_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/rollout_test");
        return new JdbcTemplate(new DriverManagerDataSource(url,
                System.getenv().getOrDefault("ROLLOUT_TEST_DB_USER", "postgres"), ""));
    }

    private static Http http(ConfigurableApplicationContext context) {
        return Http.local(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }
}
