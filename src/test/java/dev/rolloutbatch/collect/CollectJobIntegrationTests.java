package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;

import static org.assertj.core.api.Assertions.assertThat;

/** The smoke list end to end on real PostgreSQL: simulated environment, scripted policy. */
@SpringBatchTest
@SpringBootTest
@ActiveProfiles("pgtest")
class CollectJobIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private JobOperatorTestUtils jobs;

    @Autowired
    @Qualifier("collectJob")
    private Job collectJob;

    @Autowired
    private JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
        jobs.setJob(collectJob);
    }

    @Test
    void smokeRunLogsEveryConversationAndReportsTheSumsOfItsRows() throws Exception {
        JobParameters parameters = new JobParametersBuilder().addString("problems", "jobs/smoke.csv")
            .addLocalDate("runDate", LocalDate.of(2026, 11, 25))
            .addString("samples", "2", false)
            .addString("concurrency", "4", false)
            .toJobParameters();

        JobExecution execution = jobs.startJob(parameters);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        long runId = jdbc.queryForObject("SELECT id FROM run", Long.class);
        int listed = (int) java.nio.file.Files.readAllLines(java.nio.file.Path.of("jobs/smoke.csv")).stream()
            .skip(1).filter(l -> !l.isBlank()).count();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE run_id = ?", Integer.class, runId))
            .isEqualTo(listed * 2);
        assertThat(jdbc.queryForList("SELECT DISTINCT status FROM episode", String.class))
            .containsOnly("completed");
        RunInvariants.assertFinishedExactlyOnce(jdbc, runId);

        assertThat(jdbc.queryForList("SELECT DISTINCT model FROM conversation", String.class))
            .containsExactly("scripted-baseline");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message WHERE role = 'assistant'", Integer.class))
            .isEqualTo(jdbc.queryForObject("SELECT COUNT(*) FROM llm_call", Integer.class));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message WHERE role = 'system'", Integer.class))
            .isEqualTo(listed * 2);

        Map<String, Object> run = jdbc.queryForMap("SELECT * FROM run WHERE id = ?", runId);
        assertThat(run.get("status")).isEqualTo("completed");
        assertThat(run.get("ended_at")).isNotNull();
        Map<String, Object> sums = jdbc.queryForMap("""
                SELECT COUNT(*) AS episodes, SUM(CASE WHEN success THEN 1 ELSE 0 END) AS succeeded
                FROM episode WHERE run_id = ?""", runId);
        assertThat(((Number) run.get("episodes_planned")).longValue()).isEqualTo(((Number) sums.get("episodes")).longValue());
        assertThat(((Number) run.get("episodes_succeeded")).longValue())
            .isEqualTo(((Number) sums.get("succeeded")).longValue());
        Map<String, Object> spend = jdbc.queryForMap("""
                SELECT SUM(l.input_uncached_tokens + l.cache_read_tokens + l.cache_write_tokens) AS input,
                    SUM(l.output_tokens) AS output, SUM(l.cost_usd) AS cost
                FROM llm_call l JOIN conversation c ON c.id = l.conversation_id JOIN episode e ON e.id = c.episode_id
                WHERE e.run_id = ?""", runId);
        assertThat(((Number) run.get("input_tokens")).longValue()).isEqualTo(((Number) spend.get("input")).longValue())
            .isPositive();
        assertThat(((Number) run.get("output_tokens")).longValue()).isEqualTo(((Number) spend.get("output")).longValue());
        assertThat((BigDecimal) run.get("cost_usd")).isEqualByComparingTo((BigDecimal) spend.get("cost"));

        JsonNode report = JSON.readTree((String) run.get("report"));
        assertThat(report.get("total").get("episodes").asInt()).isEqualTo(listed * 2);
        assertThat(report.get("total").get("succeeded").asInt()).isEqualTo(((Number) sums.get("succeeded")).intValue());
        assertThat(report.get("total").get("input_tokens").asLong()).isEqualTo(((Number) spend.get("input")).longValue());
        int byProblem = 0;
        for (JsonNode line : report.get("by_problem")) {
            byProblem += line.get("episodes").asInt();
        }
        assertThat(byProblem).isEqualTo(listed * 2);
        List<String> taskTypes = report.get("by_task_type").valueStream().map(l -> l.get("key").asString()).toList();
        assertThat(taskTypes).containsExactlyInAnyOrder("analysis", "detection", "localization", "mitigation");

        // Timestamps are UTC and ordered.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE ended_at < started_at", Integer.class))
            .isZero();
    }
}
