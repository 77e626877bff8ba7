package dev.rolloutbatch.dashboard;

import java.time.LocalDate;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.rolloutbatch.DatabaseCleaner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real collect runs (simulated environment, scripted policy) on an emptied database: an older one of the smoke
 * problems with three samples each, where tight step limits make episodes fail, and a newer one of the plain smoke list with two samples each, so that
 * pass@k, intervals, failures and the side-by-side comparison have something to show.
 */
record CollectedRuns(long older, long newer) {

    static final int OLDER_SAMPLES = 3;
    static final int NEWER_SAMPLES = 2;
    /** The smoke problems with max_steps 6 for one that needs 7 steps and 2 for one that needs 3. */
    static final String VARIED = "src/test/resources/dashboard/varied.csv";

    private static CollectedRuns last;

    /** The runs of an earlier test class when they are still the database's only runs, otherwise new ones. */
    static synchronized CollectedRuns ensure(JdbcTemplate jdbc, JobOperatorTestUtils jobs, Job collectJob)
            throws Exception {
        if (last == null || jdbc.queryForObject("SELECT COUNT(*) FROM run", Long.class) != 2
                || jdbc.queryForObject("SELECT COUNT(*) FROM run WHERE id IN (?, ?) AND status = 'completed'",
                        Long.class, last.older(), last.newer()) != 2) {
            last = collect(jdbc, jobs, collectJob);
        }
        return last;
    }

    static CollectedRuns collect(JdbcTemplate jdbc, JobOperatorTestUtils jobs, Job collectJob) throws Exception {
        DatabaseCleaner.clean(jdbc);
        jobs.setJob(collectJob);
        long older = run(jdbc, jobs, VARIED, LocalDate.of(2026, 11, 28), OLDER_SAMPLES);
        long newer = run(jdbc, jobs, "jobs/smoke.csv", LocalDate.of(2026, 11, 29), NEWER_SAMPLES);
        return new CollectedRuns(older, newer);
    }

    private static long run(JdbcTemplate jdbc, JobOperatorTestUtils jobs, String problems, LocalDate date,
            int samples) throws Exception {
        JobExecution execution = jobs.startJob(new JobParametersBuilder().addString("problems", problems)
            .addLocalDate("runDate", date)
            .addString("samples", Integer.toString(samples), false)
            .addString("concurrency", "4", false)
            .toJobParameters());
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        return jdbc.queryForObject("SELECT id FROM run WHERE run_date = ?", Long.class, date);
    }
}
