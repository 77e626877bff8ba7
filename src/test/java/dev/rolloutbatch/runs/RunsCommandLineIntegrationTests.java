package dev.rolloutbatch.runs;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.rolloutbatch.RolloutBatchApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --spring.batch.job.name=runs} as a user runs it, on the embedded H2 default after a real collect run:
 * its figures are the database's, its JSON is alone on standard output, and it starts no job and writes nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class RunsCommandLineIntegrationTests {

    private static final List<String> TABLES = List.of("batch_job_instance", "batch_job_execution",
            "batch_step_execution", "run", "episode", "conversation", "message", "llm_call");

    @TempDir
    Path dir;

    @Test
    void showsWhatTheCollectJobDidAndWritesNothing(CapturedOutput output) throws Exception {
        assertThat(run(output, "runDate=2026-11-20")).isZero();
        Map<String, Long> before = counts();

        assertThat(run(output, "--spring.batch.job.name=runs", "--json")).isZero();
        JsonNode runs = JsonMapper.shared().readTree(lastOut).get("runs");
        assertThat(runs.size()).isEqualTo(1);
        JsonNode night = runs.get(0);
        assertThat(night.get("night").asString()).isEqualTo("2026-11-20");
        assertThat(night.get("problems").asString()).isEqualTo("jobs/smoke.csv");
        assertThat(night.get("status").asString()).isEqualTo("completed");
        assertThat(night.get("exit_code").asString()).isEqualTo("COMPLETED");
        assertThat(night.get("episodes").asLong()).isEqualTo(scalar("SELECT COUNT(*) FROM episode"));
        assertThat(night.get("succeeded").asLong())
            .isEqualTo(scalar("SELECT COUNT(*) FROM episode WHERE success"));
        assertThat(night.get("input_tokens").asLong()).isPositive().isEqualTo(scalar(
                "SELECT SUM(input_uncached_tokens + cache_read_tokens + cache_write_tokens) FROM conversation"));
        assertThat(night.get("output_tokens").asLong()).isEqualTo(scalar("SELECT SUM(output_tokens) FROM conversation"));
        assertThat(night.get("cost_usd").decimalValue()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(night.get("model").asString()).isEqualTo("scripted-baseline");

        assertThat(run(output, "--spring.batch.job.name=runs", "--run=" + night.get("id").asLong())).isZero();
        assertThat(lastOut).contains("Run 1, night 2026-11-20, problems jobs/smoke.csv")
            .contains("policy     scripted, model scripted-baseline, environment simulated")
            .contains("k8s_target_port-misconfig-detection-1");

        assertThat(run(output, "--spring.batch.job.name=runs", "--run=7")).isEqualTo(2);
        assertThat(counts()).as("the runs command writes no row and starts no job").isEqualTo(before);

        assertThat(run(output, "runDate=2026-11-21")).isZero();
        assertThat(lastOut).as("the next run in this JVM logs as usual").contains("The collect job completed");
    }

    @Test
    void anUnknownJobNamesTheRunsCommand(CapturedOutput output) {
        assertThat(run(output, "--spring.batch.job.name=run")).isEqualTo(2);
        assertThat(output).contains("Unknown job 'run'").contains("the other commands are runs");
    }

    private String lastOut = "";

    private int run(CapturedOutput output, String... arguments) {
        List<String> args = new ArrayList<>(List.of("--rollout.launcher.enabled=true",
                "--spring.datasource.url=" + url()));
        args.addAll(List.of(arguments));
        int before = output.getOut().length();
        ConfigurableApplicationContext context = SpringApplication.run(RolloutBatchApplication.class,
                args.toArray(String[]::new));
        int exitCode = SpringApplication.exit(context);
        lastOut = output.getOut().substring(before);
        return exitCode;
    }

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    private Map<String, Long> counts() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, scalar("SELECT COUNT(*) FROM " + table));
        }
        return counts;
    }

    private long scalar(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url(), "sa", "");
                ResultSet rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
