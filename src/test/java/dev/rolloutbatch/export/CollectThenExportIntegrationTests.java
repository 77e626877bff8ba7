package dev.rolloutbatch.export;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline: a real collect run of the smoke list (simulated environment, scripted policy) into
 * PostgreSQL, then every export format, read back by DuckDB and checked against the database.
 */
@SpringBootTest
@ActiveProfiles("pgtest")
class CollectThenExportIntegrationTests {

    static final LocalDate NIGHT = LocalDate.of(2026, 11, 23);

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier("collectJob")
    Job collectJob;

    @Autowired
    @Qualifier(ExportJobConfiguration.JOB_NAME)
    Job exportJob;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path out;

    @BeforeEach
    void collect() throws Exception {
        DatabaseCleaner.clean(jdbc);
        var collected = jobOperator.start(collectJob, new JobParametersBuilder().addString("problems", "jobs/smoke.csv")
            .addLocalDate("runDate", NIGHT)
            .addString("samples", "3", false)
            .toJobParameters());
        assertThat(collected.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    @Test
    void everyFormatOfACollectedNightReadsBackInDuckDbWithTheDatabaseTotals() throws Exception {
        for (String format : new String[] { "trajectories", "sft", "verl" }) {
            assertThat(ExportTestSupport.export(jobOperator, exportJob, NIGHT, out, format, b -> {
            }).getStatus()).as(format).isEqualTo(BatchStatus.COMPLETED);
        }
        String trajectories = DuckDb.parquet(out.resolve("trajectories/data/" + NIGHT));
        int episodes = jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE status = 'completed'", Integer.class);
        assertThat(((Number) DuckDb.single("SELECT COUNT(*) FROM " + trajectories)).intValue()).isEqualTo(episodes)
            .isEqualTo(24);
        assertThat(DuckDb.describe(out.resolve("trajectories/data/" + NIGHT)).get("messages"))
            .startsWith("STRUCT(").endsWith("[]");

        Map<String, Object> fromFiles = DuckDb.query("SELECT SUM(usage.input_uncached) AS input, SUM(usage.output) AS output,"
                + " SUM(num_turns) AS turns, SUM(len(messages)) AS messages, SUM(CASE WHEN success THEN 1 ELSE 0 END) AS"
                + " successes FROM " + trajectories).getFirst();
        Map<String, Object> fromDatabase = jdbc.queryForMap("""
                SELECT SUM(c.input_uncached_tokens) AS input, SUM(c.output_tokens) AS output,
                    SUM(c.total_messages) AS messages, SUM(CASE WHEN e.success THEN 1 ELSE 0 END) AS successes,
                    SUM(c.cost_usd) AS cost
                FROM episode e JOIN conversation c ON c.episode_id = e.id AND c.status = 'completed'""");
        assertThat(((Number) fromFiles.get("input")).longValue()).isEqualTo(((Number) fromDatabase.get("input")).longValue())
            .isPositive();
        assertThat(((Number) fromFiles.get("output")).longValue()).isEqualTo(((Number) fromDatabase.get("output")).longValue());
        assertThat(((Number) fromFiles.get("messages")).longValue())
            .isEqualTo(((Number) fromDatabase.get("messages")).longValue());
        assertThat(((Number) fromFiles.get("successes")).longValue())
            .isEqualTo(((Number) fromDatabase.get("successes")).longValue());
        assertThat(((Number) fromFiles.get("turns")).longValue())
            .isEqualTo(jdbc.queryForObject("SELECT COUNT(*) FROM message m JOIN conversation c ON c.id = m.conversation_id"
                    + " WHERE c.status = 'completed' AND m.role = 'assistant'", Long.class));
        assertThat(new BigDecimal(DuckDb.single("SELECT SUM(cost_usd) FROM " + trajectories).toString()))
            .isEqualByComparingTo((BigDecimal) fromDatabase.get("cost"));

        String sft = DuckDb.parquet(out.resolve("sft/data/" + NIGHT));
        assertThat(((Number) DuckDb.single("SELECT COUNT(*) FROM " + sft)).longValue())
            .isEqualTo(((Number) fromDatabase.get("successes")).longValue());
        assertThat(DuckDb.single("SELECT bool_and(messages[-1].role = 'assistant') FROM " + sft)).isEqualTo(true);
        String verl = DuckDb.parquet(out.resolve("verl/data/" + NIGHT));
        assertThat(((Number) DuckDb.single("SELECT COUNT(*) FROM " + verl)).intValue())
            .as("one prompt per problem").isEqualTo(8);
        assertThat(DuckDb.single("SELECT COUNT(*) FROM " + verl + " WHERE prompt[1].role = 'system'"))
            .isEqualTo(DuckDb.single("SELECT COUNT(*) FROM " + verl));
    }
}
