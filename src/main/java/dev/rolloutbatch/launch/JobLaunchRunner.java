package dev.rolloutbatch.launch;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDateTime;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Runs the job named by {@code spring.batch.job.name} ({@code collect} by default) with the command line's
 * {@code key=value} job parameters, and turns its outcome into the process exit code.
 * <p>
 * Parameters are validated before any job execution exists, so bad input writes nothing. A run left
 * {@code STARTED} by a process that died (kill -9, power loss) is recovered as failed and restarted by running
 * the same command again; a run still alive in another process is refused.
 */
@Component
@Profile("!serve")
@ConditionalOnBooleanProperty(name = "rollout.launcher.enabled", matchIfMissing = true)
class JobLaunchRunner implements ApplicationRunner, ExitCodeGenerator {

    private static final Logger log = LoggerFactory.getLogger(JobLaunchRunner.class);

    private final Map<String, Job> jobs;
    private final Map<String, JobParametersPreparer> preparers;
    private final Map<String, LauncherCommand> commands;
    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final DataSource dataSource;
    private final Environment environment;
    private final GracefulShutdown shutdown;
    private int exitCode = ExitCodes.FAILED;

    JobLaunchRunner(List<Job> jobs, List<JobParametersPreparer> preparers, List<LauncherCommand> commands,
            JobOperator jobOperator, JobRepository jobRepository, DataSource dataSource, Environment environment,
            GracefulShutdown shutdown) {
        this.jobs = jobs.stream().collect(Collectors.toMap(Job::getName, Function.identity()));
        this.preparers = preparers.stream()
            .collect(Collectors.toMap(JobParametersPreparer::jobName, Function.identity()));
        this.commands = commands.stream().collect(Collectors.toMap(LauncherCommand::name, Function.identity()));
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.dataSource = dataSource;
        this.environment = environment;
        this.shutdown = shutdown;
    }

    @Override
    public void run(ApplicationArguments arguments) throws Exception {
        String jobName = environment.getProperty("spring.batch.job.name", "collect");
        LauncherCommand command = commands.get(jobName);
        if (command != null) {
            exitCode = command.run(arguments);
            return;
        }
        Job job = jobs.get(jobName);
        if (job == null) {
            refuse("Unknown job '" + jobName + "': the jobs are " + String.join(", ", new java.util.TreeSet<>(jobs.keySet()))
                    + (commands.isEmpty() ? "" : "; the other commands are "
                            + String.join(", ", new java.util.TreeSet<>(commands.keySet()))));
            return;
        }
        JobParameters parameters;
        try {
            parameters = CommandLineParameters.parse(arguments.getNonOptionArgs());
            JobParametersPreparer preparer = preparers.get(jobName);
            if (preparer != null) {
                parameters = preparer.prepare(parameters);
            }
            job.getJobParametersValidator().validate(parameters);
        }
        catch (InvalidJobParametersException | IllegalArgumentException ex) {
            refuse("Cannot start the " + jobName + " job: " + ex.getMessage());
            return;
        }
        try (AdvisoryLock lock = AdvisoryLock.tryAcquire(dataSource, runLockName(jobName, parameters))) {
            if (lock == null) {
                exitCode = ExitCodes.ALREADY_RUNNING;
                log.error("The {} job with {} is running in another process; not starting it twice", jobName,
                        parameters.getIdentifyingParameters());
                return;
            }
            recoverDeadExecution(jobName, parameters);
            JobExecution execution;
            shutdown.jobStarted();
            try {
                execution = jobOperator.start(job, parameters);
            }
            finally {
                shutdown.jobEnded();
            }
            exitCode = switch (execution.getStatus()) {
                case COMPLETED -> ExitCodes.COMPLETED;
                case STOPPED -> ExitCodes.STOPPED;
                default -> ExitCodes.FAILED;
            };
            String exitDescription = execution.getExitStatus().getExitDescription();
            if (exitCode == ExitCodes.COMPLETED) {
                log.info("The {} job completed (execution {})", jobName, execution.getId());
            }
            else if (exitCode == ExitCodes.STOPPED) {
                log.warn("The {} job stopped on request (execution {} is STOPPED); exit code {}. Run the same"
                        + " command again to resume it.", jobName, execution.getId(), ExitCodes.STOPPED);
            }
            else {
                log.error("The {} job ended {} ({}){}. Run the same command again to resume it.", jobName,
                        execution.getStatus(), execution.getExitStatus().getExitCode(),
                        exitDescription == null || exitDescription.isBlank() ? ""
                                : ": " + firstLines(exitDescription));
            }
        }
        catch (JobInstanceAlreadyCompleteException ex) {
            exitCode = ExitCodes.ALREADY_COMPLETE;
            log.error("The {} job already completed for {}: nothing to do (choose another runDate to run again)",
                    jobName, parameters.getIdentifyingParameters());
        }
        catch (JobExecutionAlreadyRunningException ex) {
            exitCode = ExitCodes.ALREADY_RUNNING;
            log.error("The {} job is already running: {}", jobName, ex.getMessage());
        }
        catch (DataAccessException | java.sql.SQLException ex) {
            exitCode = ExitCodes.FAILED;
            log.error("The {} job failed: the database failed under it ({}). Run the same command again to resume it.",
                    jobName, ex.getMessage());
        }
        catch (RuntimeException ex) {
            exitCode = ExitCodes.FAILED;
            log.error("The {} job failed: {}. Run the same command again to resume it.", jobName, ex.toString(), ex);
        }
    }

    /**
     * Holding the run lock proves that no live process runs this instance: a running execution is a dead one.
     * An execution whose database failed under it ends {@code UNKNOWN}, or failed with a step whose end was never
     * recorded; Spring Batch refuses to restart either. Our
     * steps are safe to repeat (planning is one transaction, execution resumes from the episode rows, the report
     * is recomputed), so it is marked failed and resumed like any other.
     */
    private void recoverDeadExecution(String jobName, JobParameters parameters) {
        JobExecution last = jobRepository.getLastJobExecution(jobName, parameters);
        if (last == null) {
            return;
        }
        if (last.getStatus().isRunning()) {
            log.warn("Execution {} of the {} job was left {} by a process that died; recovering it", last.getId(),
                    jobName, last.getStatus());
            jobOperator.recover(last);
        }
        else if (last.getStatus() == BatchStatus.UNKNOWN || last.getStepExecutions().stream()
            .anyMatch(step -> step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning())) {
            log.warn("Execution {} of the {} job ended in an unknown state (its database failed under it);"
                    + " marking it failed to resume it", last.getId(), jobName);
            LocalDateTime now = LocalDateTime.now();
            for (StepExecution step : last.getStepExecutions()) {
                if (step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning()) {
                    step.setStatus(BatchStatus.FAILED);
                    step.setExitStatus(ExitStatus.FAILED);
                    step.setEndTime(now);
                    jobRepository.update(step);
                }
            }
            if (last.getStatus() == BatchStatus.UNKNOWN) {
                last.setStatus(BatchStatus.FAILED);
                last.setExitStatus(ExitStatus.FAILED);
                if (last.getEndTime() == null) {
                    last.setEndTime(now);
                }
                jobRepository.update(last);
            }
        }
    }

    private void refuse(String message) {
        exitCode = ExitCodes.INVALID_INPUT;
        log.error(message);
    }

    private static String firstLines(String text) {
        String[] lines = text.split("\n");
        return lines.length <= 3 ? text : String.join("\n", java.util.Arrays.copyOf(lines, 3)) + "\n...";
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }

    /** The name of the job instance's {@link AdvisoryLock}: held by the process that runs it. */
    static String runLockName(String jobName, JobParameters parameters) {
        return jobName + ":" + new DefaultJobKeyGenerator().generateKey(parameters);
    }
}
