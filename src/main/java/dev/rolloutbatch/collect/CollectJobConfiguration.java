package dev.rolloutbatch.collect;

import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.transaction.PlatformTransactionManager;

import dev.rolloutbatch.agent.PolicyChoice;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.conversation.Pricing;
import dev.rolloutbatch.environment.Environments;
import dev.rolloutbatch.episode.EpisodeRepository;
import dev.rolloutbatch.episode.EpisodeRunner;
import dev.rolloutbatch.episode.ProcessName;
import dev.rolloutbatch.episode.RunOutcomes;
import dev.rolloutbatch.launch.GracefulShutdown;

/**
 * The {@code collect} job: plan → execute → report. Identified by the problem list's content and {@code runDate}; a failed
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
            .listener(new StoppedRunReason())
            .start(planStep)
            .next(executeStep)
            .next(reportStep)
            .on(ReportTasklet.BUDGET_EXHAUSTED).fail()
            .from(reportStep).on(ReportTasklet.INFRASTRUCTURE_FAILED).fail()
            .from(reportStep).on(ExitStatus.FAILED.getExitCode()).fail()
            .from(reportStep).on("*").end()
            .end()
            .build();
    }

    @Bean
    CollectParametersValidator collectParametersValidator(ProblemCatalog catalog, Environments environments,
            PolicyChoice policyChoice, Pricing pricing) {
        return new CollectParametersValidator(catalog, environments, policyChoice, pricing);
    }

    @Bean
    Step planStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PlanEpisodesTasklet planEpisodesTasklet) {
        return new StepBuilder("plan", jobRepository).tasklet(planEpisodesTasklet, transactionManager).build();
    }

    /**
     * Runs outside any database transaction: episodes last minutes and write through their own short ones. With
     * {@code rollout.distribution.enabled} the workers run it instead ({@link PartitionedExecuteConfiguration}).
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "rollout.distribution.enabled", havingValue = false, matchIfMissing = true)
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

    /**
     * The job's parameters as one typed record, parsed per step from that step's own execution: a step context is
     * registered when its step starts and released when it ends, so no later execution can meet a cached one (a
     * job-scoped record could: see README.md, "Parameters"). Not proxied: a record cannot be, and the step-scoped
     * tasklets that receive it are only created while their step runs.
     */
    @Bean
    @Scope(value = "step", proxyMode = ScopedProxyMode.NO)
    CollectParameters collectParameters(@Value("#{stepExecution.jobParameters}") JobParameters parameters,
            PolicyChoice policyChoice) throws InvalidJobParametersException {
        return CollectParameters.from(parameters, policyChoice.defaultPolicy());
    }

    @Bean
    @StepScope
    PlanEpisodesTasklet planEpisodesTasklet(CollectParameters collectParameters, ProblemCatalog catalog,
            Environments environments, RunRepository runs, EpisodeRepository episodes) {
        return new PlanEpisodesTasklet(collectParameters, catalog, environments, runs, episodes);
    }

    @Bean
    @StepScope
    ExecuteEpisodesTasklet executeEpisodesTasklet(CollectParameters collectParameters, RunRepository runs,
            EpisodeRepository episodes, EpisodeRunner runner, CollectProperties properties,
            GracefulShutdown shutdown) {
        return new ExecuteEpisodesTasklet(collectParameters, runs, episodes, runner, properties,
                ProcessName.current(), shutdown);
    }

    @Bean
    @StepScope
    ReportTasklet reportTasklet(CollectParameters collectParameters, RunRepository runs,
            EpisodeRepository episodes, RunOutcomes outcomes, CollectProperties properties) {
        return new ReportTasklet(runs, episodes, outcomes, collectParameters.budgetUsd(),
                properties.maxInfrastructureFailures());
    }

    /**
     * A run the report step stopped (budget spent, infrastructure failures) ends with that step's one-line reason
     * as the job's exit description too, so that the launcher's last line says why.
     */
    static final class StoppedRunReason implements JobExecutionListener {

        @Override
        public void afterJob(JobExecution execution) {
            for (StepExecution step : execution.getStepExecutions()) {
                String code = step.getExitStatus().getExitCode();
                if (code.equals(ReportTasklet.BUDGET_EXHAUSTED) || code.equals(ReportTasklet.INFRASTRUCTURE_FAILED)) {
                    execution.setExitStatus(new ExitStatus(code, step.getExitStatus().getExitDescription()));
                }
            }
        }
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
