package dev.rolloutbatch.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.conversation.ConversationLog;

import static dev.rolloutbatch.export.DuckDb.parquet;
import static dev.rolloutbatch.export.DuckDb.query;
import static dev.rolloutbatch.export.DuckDb.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Re-exports replace partitions; failed exports leave them intact; bad parameters write nothing. */
@SpringBootTest
@ActiveProfiles("pgtest")
class ExportFailureIntegrationTests {

    static final LocalDate DAY = LocalDate.of(2026, 11, 25);

    /** Throws once the export has written {@link #failAfter} rows (disabled when negative). */
    static final class FailingHook implements ExportHook {
        volatile long failAfter = -1;

        @Override
        public void rowWritten(long rows) throws java.io.IOException {
            if (failAfter >= 0 && rows >= failAfter) {
                throw new java.io.IOException("injected failure after " + rows + " rows");
            }
        }
    }

    @TestConfiguration
    static class HookConfiguration {
        @Bean
        FailingHook failingHook() {
            return new FailingHook();
        }
    }

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier(ExportJobConfiguration.JOB_NAME)
    Job exportJob;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ConversationLog log;

    @Autowired
    FailingHook hook;

    @TempDir
    Path out;

    ConversationFixtures.Standard data;

    @BeforeEach
    void seed() {
        DatabaseCleaner.clean(jdbc);
        data = new ConversationFixtures(jdbc, log).standard(DAY);
    }

    @AfterEach
    void disarm() {
        hook.failAfter = -1;
    }

    Path partition() {
        return out.resolve("trajectories").resolve("data").resolve(DAY.toString());
    }

    Path manifest() {
        return out.resolve("trajectories").resolve("_manifests").resolve(DAY.toString()).resolve("_manifest.json");
    }

    JobExecution export(long maxRowsPerFile) throws Exception {
        return ExportTestSupport.export(jobOperator, exportJob, DAY, out, "trajectories",
                b -> b.addLong("maxRowsPerFile", maxRowsPerFile));
    }

    @Test
    void exportingTwiceReplacesThePartition() throws Exception {
        assertThat(export(3).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(export(3).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        assertThat(single("SELECT count(*) FROM " + parquet(partition()))).isEqualTo(7L);
        assertThat(single("SELECT count(DISTINCT trajectory_id) FROM " + parquet(partition()))).isEqualTo(7L);
        try (Stream<Path> files = Files.list(partition())) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet")).count()).isEqualTo(3);
        }
        assertNoTemporaryDirectory();
    }

    @Test
    void aFailureMidExportLeavesThePreviousPartitionIntact() throws Exception {
        assertThat(export(100).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        String manifest = Files.readString(manifest());
        // new data for the same day, then an export that dies after 5 rows (2 part files already written)
        new ConversationFixtures(jdbc, log).standard(DAY);
        hook.failAfter = 5;

        JobExecution failed = export(2);

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getAllFailureExceptions()).anySatisfy(ex -> assertThat(ex).hasStackTraceContaining("injected failure after 5 rows"));
        assertThat(Files.readString(manifest())).isEqualTo(manifest);
        assertThat(single("SELECT count(*) FROM " + parquet(partition()))).isEqualTo(7L);
        assertThat(query("SELECT trajectory_id FROM " + parquet(partition()))).extracting(r -> r.get("trajectory_id"))
                .contains(data.successWithTokens().toString());
        assertNoTemporaryDirectory();

        hook.failAfter = -1;
        assertThat(export(100).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(single("SELECT count(*) FROM " + parquet(partition()))).isEqualTo(14L);
    }

    @Test
    void anUnwritableOutputFailsTheJobAndPublishesNothing() throws Exception {
        Path file = Files.writeString(out.resolve("not-a-directory"), "x");
        JobExecution execution = ExportTestSupport.export(jobOperator, exportJob, DAY, file, "trajectories", b -> {
        });
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void invalidParametersAreRejectedBeforeAnExecutionExistsAndWriteNothing() {
        Integer executionsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM batch_job_execution", Integer.class);
        assertThatThrownBy(() -> jobOperator.start(exportJob, new JobParametersBuilder()
                .addString("runDate", "2026-13-45").addString("format", "csv").addString("compression", "lz4")
                .addString("maxRowsPerFile", "0").addString("onlySuccessful", "maybe")
                .addString("output", out.toString()).toJobParameters()))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("runDate: '2026-13-45' is not a date (YYYY-MM-DD)")
                .hasMessageContaining("format: 'csv' is not one of trajectories, sft, verl, all")
                .hasMessageContaining("compression: 'lz4' is not one of zstd, snappy, none")
                .hasMessageContaining("maxRowsPerFile: must be at least 1 (was 0)")
                .hasMessageContaining("onlySuccessful: 'maybe' is not true or false");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM batch_job_execution", Integer.class))
                .isEqualTo(executionsBefore);
        assertThat(out.resolve("trajectories")).doesNotExist();
    }

    void assertNoTemporaryDirectory() throws Exception {
        try (Stream<Path> entries = Files.list(out.resolve("trajectories"))) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("README.md", "data", "_manifests");
        }
    }
}
