package dev.rolloutbatch;

import org.springframework.jdbc.core.JdbcTemplate;

/** Empties every table of the project and of Spring Batch's job repository between tests. */
public final class DatabaseCleaner {

    private DatabaseCleaner() {
    }

    public static void clean(JdbcTemplate jdbc) {
        for (String table : new String[] { "llm_call", "message", "conversation", "episode", "run",
                "batch_step_execution_context", "batch_job_execution_context", "batch_step_execution",
                "batch_job_execution_params", "batch_job_execution", "batch_job_instance" }) {
            jdbc.update("DELETE FROM " + table);
        }
    }
}
