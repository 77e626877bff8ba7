package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.time.LocalDate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.agent.openai.OpenAiEndpoint;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code budgetUsd}: once the run has spent it, no new episode starts, the run ends failed with a clear status,
 * and the same command with a larger budget finishes it. Spend is what the LLM fixture served, priced by the
 * table (gpt-4o: 1,000 prompt + 100 completion tokens = $0.0035 a call).
 */
@SpringBatchTest
@SpringBootTest(properties = "rollout.openai.max-concurrency=2")
@ActiveProfiles("pgtest")
class CollectBudgetIntegrationTests {

    static final OpenAiProtocolFixture llm = OpenAiProtocolFixture.start();

    @TestConfiguration(proxyBeanMethods = false)
    static class Llm {

        @Bean
        @Primary
        OpenAiEndpoint fixtureEndpoint() {
            return new OpenAiEndpoint(llm.baseUrl(), "sk-budget-test", null);
        }
    }

    @AfterAll
    static void stop() {
        llm.close();
    }

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
        // One answer per episode: a mitigation's submit() takes no argument (AIOpsLab's signature), the others'
        // submit("Yes") is accepted (graded right or wrong, it ends the episode).
        llm.reset().responder(request -> Reply.content(request.body().contains("mitigat") ? "```\nsubmit()\n```"
                : "```\nsubmit(\"Yes\")\n```").withUsage(1000, 0, 100, 0));
    }

    @Test
    void aSpentBudgetStopsNewEpisodesAndALargerBudgetFinishesTheRun() throws Exception {
        JobExecution first = jobs.startJob(parameters("0.01"));

        assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(jdbc.queryForObject("SELECT status FROM run", String.class)).isEqualTo("budget_exhausted");
        int planned = jdbc.queryForObject("SELECT COUNT(*) FROM episode", Integer.class);
        int completed = jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE status = 'completed'", Integer.class);
        int pending = jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE status = 'pending'", Integer.class);
        assertThat(planned).isEqualTo(32);
        // $0.0035 an episode: the third crosses $0.01; at most two more were already running.
        assertThat(completed).isBetween(3, 5);
        assertThat(completed + pending).isEqualTo(planned);
        BigDecimal spent = jdbc.queryForObject("SELECT SUM(cost_usd) FROM llm_call", BigDecimal.class);
        assertThat(spent).isEqualByComparingTo(new BigDecimal("0.0035").multiply(BigDecimal.valueOf(completed)));
        assertThat(first.getStepExecutions()).anySatisfy(step -> assertThat(step.getExitStatus().getExitDescription())
            .contains("restart the same command with a larger budgetUsd"));

        JobExecution second = jobs.startJob(parameters("10"));

        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(second.getJobInstance().getInstanceId()).isEqualTo(first.getJobInstance().getInstanceId());
        assertThat(jdbc.queryForObject("SELECT status FROM run", String.class)).isEqualTo("completed");
        RunInvariants.assertFinishedExactlyOnce(jdbc, jdbc.queryForObject("SELECT id FROM run", Long.class));
        assertThat(jdbc.queryForObject("SELECT cost_usd FROM run", BigDecimal.class))
            .isEqualByComparingTo(new BigDecimal("0.0035").multiply(BigDecimal.valueOf(planned)));
    }

    private static JobParameters parameters(String budget) {
        return new JobParametersBuilder().addString("problems", "jobs/smoke.csv")
            .addLocalDate("runDate", LocalDate.of(2026, 11, 24))
            .addString("samples", "4", false)
            .addString("concurrency", "2", false)
            .addString("policy", "openai", false)
            .addString("model", "gpt-4o", false)
            .addString("budgetUsd", budget, false)
            .toJobParameters();
    }
}
