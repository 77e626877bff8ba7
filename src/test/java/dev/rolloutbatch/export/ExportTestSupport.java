package dev.rolloutbatch.export;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;

/** Launches the export job the way the launcher does, each time as a new job instance. */
final class ExportTestSupport {

    private static final AtomicLong INSTANCE = new AtomicLong(System.currentTimeMillis());

    private ExportTestSupport() {
    }

    static JobExecution export(JobOperator operator, Job job, LocalDate runDate, Path output, String format,
            Consumer<JobParametersBuilder> more) throws Exception {
        JobParametersBuilder builder = new JobParametersBuilder().addLocalDate("runDate", runDate)
                .addString("output", output.toString()).addString("format", format)
                .addLong("run.id", INSTANCE.incrementAndGet());
        more.accept(builder);
        return operator.start(job, builder.toJobParameters());
    }
}
