package dev.rolloutbatch.export;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcCursorItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.conversation.ConversationReader;

/**
 * The {@code export} job: logged conversations → Parquet datasets (DESIGN §5).
 * <ol>
 * <li>{@code exportRows}: a database cursor (autocommit off, bounded fetch size) streams the selected episodes in
 * partition order; each chunk's messages and LLM calls are read with two queries ({@link ConversationReader}) and
 * written as rows of every requested format into
 * {@code <output>/<format>/_temporary/<execution>/data/YYYY-MM-DD/part-NNNNN.<codec>.parquet}.</li>
 * <li>{@code exportPublish}: closes the last files, writes {@code _manifest.json} then {@code _SUCCESS} of each
 * partition, renames each partition into place, replacing the previous one, and rewrites each dataset card.</li>
 * </ol>
 * If anything fails, the {@link ExportRun} (held by {@link ExportRuns} for the job execution) deletes the temporary
 * directory when the job ends; the published partitions are untouched. Parameters are checked by {@link ExportParametersValidator} before an
 * execution is created. No incrementer: Spring Batch 6's {@code JobOperator.start} would replace the given
 * parameters with the incremented ones. To run the very same export again (it replaces the partitions), give it a
 * new {@code run.id=<n>} (accepted and ignored) or pass the parameters as non-identifying.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ ExportProperties.class, HadoopProperties.class })
public class ExportJobConfiguration {

    public static final String JOB_NAME = "export";

    @Bean(name = JOB_NAME)
    Job export(JobRepository jobRepository, Step exportRowsStep, Step exportPublishStep, ExportRuns exportRuns) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .validator(new ExportParametersValidator())
                .listener(exportRuns)
                .start(exportRowsStep)
                .next(exportPublishStep)
                .build();
    }

    @Bean
    ExportRuns exportRuns(ExportProperties properties, HadoopProperties hadoop, ProblemCatalog catalog,
            JdbcTemplate jdbcTemplate, ObjectProvider<ExportHook> hook) {
        return new ExportRuns(properties, hadoop, catalog, jdbcTemplate, hook);
    }

    /**
     * The job's parameters as one typed record, parsed per step from that step's own execution (as the collect
     * job's are; its README says why not per job). Not proxied: a record cannot be.
     */
    @Bean
    @Scope(value = "step", proxyMode = ScopedProxyMode.NO)
    ExportParameters exportParameters(@Value("#{stepExecution.jobParameters}") JobParameters parameters)
            throws InvalidJobParametersException {
        return ExportParameters.parse(parameters);
    }

    @Bean
    Step exportRowsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            JdbcCursorItemReader<EpisodeRow> exportReader, ExportItemWriter exportWriter,
            ExportProperties properties) {
        return new StepBuilder("exportRows", jobRepository)
                .<EpisodeRow, EpisodeRow>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(exportReader)
                .writer(exportWriter)
                .build();
    }

    @Bean
    Step exportPublishStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            PublishTasklet publishTasklet) {
        return new StepBuilder("exportPublish", jobRepository).tasklet(publishTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    PublishTasklet publishTasklet(ExportRuns runs, @Value("#{stepExecution.jobExecution}") JobExecution execution,
            ExportParameters exportParameters) {
        return new PublishTasklet(runs.of(execution, exportParameters));
    }

    @Bean
    @StepScope
    JdbcCursorItemReader<EpisodeRow> exportReader(DataSource dataSource, ExportParameters exportParameters,
            ExportProperties properties) {
        EpisodeQuery.Sql query = EpisodeQuery.forParameters(exportParameters,
                EpisodeQuery.hasEpisodeColumn(dataSource, "failure_class"));
        return new JdbcCursorItemReaderBuilder<EpisodeRow>()
                .name("exportReader")
                .dataSource(dataSource)
                .sql(query.sql())
                .queryArguments(query.arguments())
                .rowMapper(EpisodeQuery.MAPPER)
                .fetchSize(properties.fetchSize())
                .connectionAutoCommit(false)
                .saveState(false)
                .verifyCursorPosition(false)
                .build();
    }

    @Bean
    @StepScope
    ExportItemWriter exportWriter(ConversationReader conversations, ExportRuns runs,
            @Value("#{stepExecution.jobExecution}") JobExecution execution, ExportParameters exportParameters) {
        return new ExportItemWriter(conversations, runs.of(execution, exportParameters));
    }
}
