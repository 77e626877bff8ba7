package dev.rolloutbatch.export;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcCursorItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
 * If anything fails, the job-scoped {@link ExportRun} deletes the temporary directory when the job ends; the
 * published partitions are untouched. Parameters are checked by {@link ExportParametersValidator} before an
 * execution is created. No incrementer: Spring Batch 6's {@code JobOperator.start} would replace the given
 * parameters with the incremented ones. To run the very same export again (it replaces the partitions), give it a
 * new {@code run.id=<n>} (accepted and ignored) or pass the parameters as non-identifying.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ ExportProperties.class, HadoopProperties.class })
public class ExportJobConfiguration {

    public static final String JOB_NAME = "export";

    @Bean(name = JOB_NAME)
    Job export(JobRepository jobRepository, Step exportRowsStep, Step exportPublishStep) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .validator(new ExportParametersValidator())
                .start(exportRowsStep)
                .next(exportPublishStep)
                .build();
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
            ExportRun exportRun) {
        return new StepBuilder("exportPublish", jobRepository)
                .tasklet((contribution, context) -> {
                    exportRun.publish();
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .build();
    }

    @Bean
    @JobScope
    ExportRun exportRun(@Value("#{jobExecution}") JobExecution execution, ExportProperties properties,
            HadoopProperties hadoop, ProblemCatalog catalog, JdbcTemplate jdbcTemplate,
            ObjectProvider<ExportHook> hook) throws Exception {
        ExportParameters parameters = ExportParameters.parse(execution.getJobParameters());
        Map<LocalDate, Long> withoutConversation = withoutConversation(jdbcTemplate, parameters);
        List<FormatExport> formats = new ArrayList<>();
        for (ExportFormat format : parameters.formats()) {
            DatasetRecords records = switch (format) {
                case TRAJECTORIES -> new TrajectoryRecords(parameters);
                case SFT -> new SftRecords(parameters);
                case VERL -> new VerlRecords(new GroundTruth(catalog));
            };
            formats.add(new FormatExport(parameters, properties, records,
                    new DatasetOutput(parameters.output(), format, "execution-" + execution.getId(), hadoop.conf()),
                    withoutConversation));
        }
        return new ExportRun(parameters, formats, Splits.of(parameters, catalog),
                hook.getIfAvailable(() -> ExportHook.NONE), Clock.systemUTC());
    }

    private static Map<LocalDate, Long> withoutConversation(JdbcTemplate jdbc, ExportParameters parameters) {
        EpisodeQuery.Sql query = EpisodeQuery.withoutConversation(parameters);
        Map<LocalDate, Long> counts = new HashMap<>();
        jdbc.query(query.sql(), rs -> {
            counts.put(rs.getObject("partition_date", LocalDate.class), rs.getLong("episodes"));
        }, query.arguments().toArray());
        return counts;
    }

    @Bean
    @StepScope
    JdbcCursorItemReader<EpisodeRow> exportReader(DataSource dataSource, ExportRun exportRun,
            ExportProperties properties) {
        EpisodeQuery.Sql query = EpisodeQuery.forParameters(exportRun.parameters(),
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
    ExportItemWriter exportWriter(ConversationReader conversations, ExportRun exportRun) {
        return new ExportItemWriter(conversations, exportRun);
    }
}
