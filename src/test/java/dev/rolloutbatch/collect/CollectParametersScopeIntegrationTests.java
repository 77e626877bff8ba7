package dev.rolloutbatch.collect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two collect executions that get the same execution id (the database emptied and Spring Batch's sequences reset
 * in between) each hand their own parameters to every step. The id is the one {@code @SpringBatchTest} registers
 * for its stand-in job execution during each test method, the collision that made a job-scoped record stale: job
 * contexts are keyed by a {@code JobExecution}, whose equality is its id alone.
 */
@SpringBatchTest
@SpringBootTest
@ActiveProfiles("pgtest")
@Import(CollectParametersScopeIntegrationTests.SeenParameters.class)
class CollectParametersScopeIntegrationTests {

    static final long REUSED_ID = MetaDataInstanceFactory.DEFAULT_JOB_EXECUTION_ID;

    @Autowired
    private JobOperatorTestUtils jobs;

    @Autowired
    @Qualifier("collectJob")
    private Job collectJob;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private ParametersRecorder seen;

    @TempDir
    Path folder;

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
        jobs.setJob(collectJob);
        seen.records.clear();
    }

    @Test
    void eachStepOfEachExecutionSeesItsOwnParametersWhenAnExecutionIdIsReused() throws Exception {
        Path problems = folder.resolve("one.csv");
        Files.writeString(problems, "problem_id\nk8s_target_port-misconfig-detection-1\n");

        resetSequences();
        Ran first = run(problems, LocalDate.of(2026, 1, 1), 1, 11);
        assertThat(first.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(episodes()).isEqualTo(1);

        DatabaseCleaner.clean(jdbc);
        resetSequences();
        Ran second = run(problems, LocalDate.of(2026, 1, 2), 3, 22);
        assertThat(second.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(episodes()).as("the plan step read samples=3").isEqualTo(3);

        assertThat(second.id()).isEqualTo(first.id()).isEqualTo(REUSED_ID);
        assertThat(seen.records).extracting(Seen::step)
            .containsExactly("plan", "execute", "report", "plan", "execute", "report");
        assertThat(seen.records.subList(0, 3)).allSatisfy(s -> {
            assertThat(s.parameters().runDate()).isEqualTo(LocalDate.of(2026, 1, 1));
            assertThat(s.parameters().samples()).isEqualTo(1);
            assertThat(s.parameters().seed()).isEqualTo(11);
        });
        assertThat(seen.records.subList(3, 6)).allSatisfy(s -> {
            assertThat(s.parameters().runDate()).isEqualTo(LocalDate.of(2026, 1, 2));
            assertThat(s.parameters().samples()).isEqualTo(3);
            assertThat(s.parameters().seed()).isEqualTo(22);
        });
    }

    /** (Not a method returning a JobExecution: {@code @SpringBatchTest} would take it for a job-scope factory.) */
    private Ran run(Path problems, LocalDate runDate, int samples, long seed) throws Exception {
        JobExecution execution = jobs.startJob(new JobParametersBuilder().addString("problems", problems.toString())
            .addLocalDate("runDate", runDate)
            .addString("samples", String.valueOf(samples), false)
            .addString("seed", String.valueOf(seed), false)
            .toJobParameters());
        return new Ran(execution.getId(), execution.getStatus());
    }

    record Ran(long id, BatchStatus status) {
    }

    private int episodes() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM episode", Integer.class);
    }

    /** As a fresh database starts them; the next execution gets {@link #REUSED_ID}. */
    private void resetSequences() {
        jdbc.execute("ALTER SEQUENCE batch_job_instance_seq RESTART WITH 1");
        jdbc.execute("ALTER SEQUENCE batch_job_execution_seq RESTART WITH " + REUSED_ID);
        jdbc.execute("ALTER SEQUENCE batch_step_execution_seq RESTART WITH 1");
    }

    record Seen(String step, long jobExecutionId, CollectParameters parameters) {
    }

    /** Records every {@link CollectParameters} the container creates, with the step it was created for. */
    @TestConfiguration(proxyBeanMethods = false)
    static class SeenParameters {

        @Bean
        static ParametersRecorder parametersRecorder() {
            return new ParametersRecorder();
        }
    }

    static class ParametersRecorder implements BeanPostProcessor {

        final List<Seen> records = new CopyOnWriteArrayList<>();

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof CollectParameters parameters) {
                StepContext step = StepSynchronizationManager.getContext();
                records.add(new Seen(step.getStepName(), step.getStepExecution().getJobExecutionId(), parameters));
            }
            return bean;
        }
    }
}
