package dev.rolloutbatch.export;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.rolloutbatch.catalog.ProblemCatalog;

/**
 * The {@link ExportRun} of each running export job execution, from its first step to the end of the job, when
 * it is closed and forgotten. Held by the execution object itself, not by its id nor by Spring Batch's job scope:
 * a job context is keyed by the execution's id, which a later execution can get again (see the collect README,
 * "Parameters").
 */
class ExportRuns implements JobExecutionListener {

    private final Map<JobExecution, ExportRun> running = Collections.synchronizedMap(new IdentityHashMap<>());
    private final ExportProperties properties;
    private final HadoopProperties hadoop;
    private final ProblemCatalog catalog;
    private final JdbcTemplate jdbc;
    private final ObjectProvider<ExportHook> hook;

    ExportRuns(ExportProperties properties, HadoopProperties hadoop, ProblemCatalog catalog, JdbcTemplate jdbc,
            ObjectProvider<ExportHook> hook) {
        this.properties = properties;
        this.hadoop = hadoop;
        this.catalog = catalog;
        this.jdbc = jdbc;
        this.hook = hook;
    }

    /** The execution's run, started by its first step with the parameters that step received. */
    ExportRun of(JobExecution execution, ExportParameters parameters) {
        return running.computeIfAbsent(execution, e -> start(e, parameters));
    }

    /** Deletes whatever the run did not publish. */
    @Override
    public void afterJob(JobExecution execution) {
        ExportRun run = running.remove(execution);
        if (run != null) {
            run.close();
        }
    }

    private ExportRun start(JobExecution execution, ExportParameters parameters) {
        Map<LocalDate, Long> withoutConversation = withoutConversation(parameters);
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

    private Map<LocalDate, Long> withoutConversation(ExportParameters parameters) {
        EpisodeQuery.Sql query = EpisodeQuery.withoutConversation(parameters);
        Map<LocalDate, Long> counts = new HashMap<>();
        jdbc.query(query.sql(), rs -> {
            counts.put(rs.getObject("partition_date", LocalDate.class), rs.getLong("episodes"));
        }, query.arguments().toArray());
        return counts;
    }
}
