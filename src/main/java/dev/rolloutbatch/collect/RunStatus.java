package dev.rolloutbatch.collect;

import java.util.Locale;

/** {@code run.status}: how a collect run stands or ended. */
enum RunStatus {

    RUNNING, COMPLETED,
    /** The budget is spent: episodes are left pending; a larger budget finishes the run. */
    BUDGET_EXHAUSTED,
    /** More infrastructure failures than allowed, or the endpoint was given up on; the same command resumes. */
    INFRASTRUCTURE_FAILED,
    /** Stopped by SIGTERM before its end; the same command resumes it. */
    STOPPED;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
