package dev.rolloutbatch.export;

import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.conversation.ConversationLog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two exports that get the same execution id (the database emptied and Spring Batch's sequences reset in between,
 * the id being the one {@code @SpringBatchTest} registers for its stand-in execution) each write what their own
 * parameters ask for, where they ask for it: no step meets the other execution's parameters or export run.
 */
@SpringBatchTest
@SpringBootTest
@ActiveProfiles("pgtest")
class ExportParametersScopeIntegrationTests {

    static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    static final long REUSED_ID = MetaDataInstanceFactory.DEFAULT_JOB_EXECUTION_ID;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier(ExportJobConfiguration.JOB_NAME)
    Job exportJob;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ConversationLog log;

    @TempDir
    Path out;

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
    }

    @Test
    void eachExecutionWritesItsOwnFormatToItsOwnOutputWhenAnExecutionIdIsReused() throws Exception {
        Ran first = exportAfterReset(out.resolve("first"), "trajectories");
        Ran second = exportAfterReset(out.resolve("second"), "sft");

        assertThat(first.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(second.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(second.id()).isEqualTo(first.id()).isEqualTo(REUSED_ID);
        assertThat(out.resolve("first/trajectories/data").resolve(DAY.toString())).isDirectory();
        assertThat(out.resolve("first/sft")).doesNotExist();
        assertThat(out.resolve("second/sft/data").resolve(DAY.toString())).isDirectory();
        assertThat(out.resolve("second/trajectories")).doesNotExist();
    }

    /** (Not a method returning a JobExecution: {@code @SpringBatchTest} would take it for a job-scope factory.) */
    private Ran exportAfterReset(Path output, String format) throws Exception {
        DatabaseCleaner.clean(jdbc);
        new ConversationFixtures(jdbc, log).standard(DAY);
        jdbc.execute("ALTER SEQUENCE batch_job_instance_seq RESTART WITH 1");
        jdbc.execute("ALTER SEQUENCE batch_job_execution_seq RESTART WITH " + REUSED_ID);
        jdbc.execute("ALTER SEQUENCE batch_step_execution_seq RESTART WITH 1");
        JobExecution execution = ExportTestSupport.export(jobOperator, exportJob, DAY, output, format, b -> {
        });
        return new Ran(execution.getId(), execution.getStatus());
    }

    record Ran(long id, BatchStatus status) {
    }
}
