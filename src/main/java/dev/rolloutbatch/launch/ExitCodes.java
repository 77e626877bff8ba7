package dev.rolloutbatch.launch;

/** The process exit codes a scheduler sees. */
final class ExitCodes {

    static final int COMPLETED = 0;
    static final int FAILED = 1;
    static final int INVALID_INPUT = 2;
    static final int ALREADY_COMPLETE = 3;
    static final int ALREADY_RUNNING = 4;

    private ExitCodes() {
    }
}
