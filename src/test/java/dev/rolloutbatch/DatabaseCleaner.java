package dev.rolloutbatch;

import org.springframework.jdbc.core.JdbcTemplate;

/** Empties every table of the project and of Spring Batch's job repository between tests. */
public final class DatabaseCleaner {

    private DatabaseCleaner() {
    }

    private static final String[] TABLES = { "llm_call", "message", "conversation", "episode", "run",
            "batch_step_execution_context", "batch_job_execution_context", "batch_step_execution",
            "batch_job_execution_params", "batch_job_execution", "batch_job_instance" };

    public static void clean(JdbcTemplate jdbc) {
        for (String table : TABLES) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    /**
     * Empties the tables and gives their space back (PostgreSQL only), so that one benchmark run does not write
     * into the dead rows and bloated indexes that the previous runs left behind.
     */
    public static void truncate(JdbcTemplate jdbc) {
        jdbc.execute("TRUNCATE " + String.join(", ", TABLES));
    }
}
