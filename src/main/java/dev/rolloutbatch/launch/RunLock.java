package dev.rolloutbatch.launch;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * Held by the process that runs a job instance, so that a restart can tell a dead run from a live one. On
 * PostgreSQL it is a session advisory lock on a dedicated connection: the database frees it the moment the
 * holder dies, even by SIGKILL. An H2 file database admits one process only, so there the lock is implicit.
 */
final class RunLock implements AutoCloseable {

    private final Connection connection;

    private RunLock(Connection connection) {
        this.connection = connection;
    }

    /** @return null when another live process holds the lock */
    static @Nullable RunLock tryAcquire(DataSource dataSource, String jobName, JobParameters parameters) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (!product.contains("postgres")) {
                connection.close();
                return new RunLock(null);
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                statement.setLong(1, key(jobName, parameters));
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        connection.close();
                        return null;
                    }
                }
            }
            return new RunLock(connection);
        }
        catch (SQLException | RuntimeException ex) {
            connection.close();
            throw ex;
        }
    }

    static long key(String jobName, JobParameters parameters) {
        String jobKey = new DefaultJobKeyGenerator().generateKey(parameters);
        byte[] bytes = (jobName + ":" + jobKey).getBytes(StandardCharsets.UTF_8);
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    @Override
    public void close() throws SQLException {
        if (connection != null) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                statement.execute();
            }
            finally {
                connection.close();
            }
        }
    }
}
