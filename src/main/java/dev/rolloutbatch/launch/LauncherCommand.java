package dev.rolloutbatch.launch;

import org.springframework.boot.ApplicationArguments;

/**
 * A command that the launcher runs in place of a batch job when {@code spring.batch.job.name} names it (for
 * example {@code runs}). A command starts no job and writes no job repository row.
 */
public interface LauncherCommand {

    String name();

    /** Runs the command and returns the process exit code (see the README's exit codes). */
    int run(ApplicationArguments arguments);
}
