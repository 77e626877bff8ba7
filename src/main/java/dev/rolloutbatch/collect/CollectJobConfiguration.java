package dev.rolloutbatch.collect;

import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import dev.rolloutbatch.agent.Policies;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.environment.Environments;
import dev.rolloutbatch.episode.EpisodeRepository;
import dev.rolloutbatch.episode.EpisodeRunner;
import dev.rolloutbatch.episode.ProcessName;
import dev.rolloutbatch.launch.GracefulShutdown;

/**
 * The {@code collect} job: plan → execute → report. Identified by {@code problems} and {@code runDate}; a failed
 * or killed run is resumed by running the same command again (planning is not repeated, finished episodes are
 * kept, interrupted ones run again).
 */
@Configuration(proxyBeanMethods = false)
class CollectJobConfiguration {

    static final String JOB_NAME = "collect";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    Job collectJob(JobRepository jobRepository, Step planStep, Step executeStep, Step reportStep,
            CollectParametersValidator collectParametersValidator) {
        return new JobBuilder(JOB_NAME, jobRepository).validator(collectParametersValidator)
            .start(planStep)
            .next(executeStep)
            .next(reportStep)
            .on(ReportTasklet.BUDGET_EXHAUSTED).fail()
            .from(reportStep).on("*").end()
            .end()
            .build();
    }

    @Bean
    CollectParametersValidator collectParametersValidator(ProblemCatalog catalog, Environments environments,
            Policies policies, DefaultPolicy defaultPolicy) {
        return new CollectParametersValidator(catalog, environments, policies, defaultPolicy);
    }

    @Bean
    Step planStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PlanEpisodesTasklet planEpisodesTasklet) {
        return new StepBuilder("plan", jobRepository).tasklet(planEpisodesTasklet, transactionManager).build();
    }

    /** Runs outside any database transaction: episodes last minutes and write through their own short ones. */
    @Bean
    Step executeStep(JobRepository jobRepository, ExecuteEpisodesTasklet executeEpisodesTasklet) {
        return new StepBuilder("execute", jobRepository)
            .tasklet(executeEpisodesTasklet, new ResourcelessTransactionManager())
            .allowStartIfComplete(true)
            .build();
    }

    @Bean
    Step reportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReportTasklet reportTasklet) {
        return new StepBuilder("report", jobRepository).tasklet(reportTasklet, transactionManager)
            .allowStartIfComplete(true)
            .build();
    }

    @Bean
    @StepScope
    PlanEpisodesTasklet planEpisodesTasklet(@Value("#{stepExecution.jobParameters}") JobParameters parameters,
            DefaultPolicy defaultPolicy, ProblemCatalog catalog, Environments environments, RunRepository runs,
            JdbcTemplate jdbc) {
        return new PlanEpisodesTasklet(CollectParameters.from(parameters, defaultPolicy.name()), catalog,
                environments, runs, jdbc);
    }

    @Bean
    @StepScope
    ExecuteEpisodesTasklet executeEpisodesTasklet(@Value("#{stepExecution.jobParameters}") JobParameters parameters,
            DefaultPolicy defaultPolicy, RunRepository runs, EpisodeRepository episodes, EpisodeRunner runner,
            CollectProperties properties, GracefulShutdown shutdown) {
        return new ExecuteEpisodesTasklet(CollectParameters.from(parameters, defaultPolicy.name()), runs, episodes,
                runner, properties.progressInterval(), ProcessName.current(), shutdown);
    }

    @Bean
    @StepScope
    ReportTasklet reportTasklet(RunRepository runs, JdbcTemplate jdbc) {
        return new ReportTasklet(runs, jdbc);
    }

    /** The job's parameters as stored on the run (they never hold secrets: API keys come from the environment). */
    static String parametersJson(JobParameters parameters) {
        Map<String, String> values = new TreeMap<>();
        for (JobParameter<?> parameter : parameters) {
            values.put(parameter.name(), String.valueOf(parameter.value()));
        }
        return JSON.writeValueAsString(values);
    }
}
