package dev.rolloutbatch.launch;

/** The process exit codes a scheduler sees. */
final class ExitCodes {

    static final int COMPLETED = 0;
    static final int FAILED = 1;
    static final int INVALID_INPUT = 2;
    static final int ALREADY_COMPLETE = 3;
    static final int ALREADY_RUNNING = 4;
    /**
     * Stopped by SIGTERM with its state recorded (job execution STOPPED); the same command resumes it. The value
     * is the shell's 128 + SIGTERM, which is also what the JVM exits with once its shutdown hooks have run.
     */
    static final int STOPPED = 143;

    private ExitCodes() {
    }
}
