package dev.rolloutbatch.collect;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

/**
 * Held by the worker that runs a partition, so that a partition never runs in two processes at once: a PostgreSQL
 * session advisory lock on a dedicated connection, which the database frees the moment its holder dies (SIGKILL
 * included). Whoever holds it may treat the partition's {@code running} episodes as left by a dead process.
 * Distribution needs a shared PostgreSQL database; on another database (one process only) the lock is implicit.
 */
final class PartitionLock implements AutoCloseable {

    private static final long RETRY_MILLIS = 1000;

    private final Connection connection;
    private final long key;

    private PartitionLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    /**
     * Waits for the lock while {@code keepWaiting} holds.
     *
     * @return null when the wait was given up
     */
    static PartitionLock acquire(DataSource dataSource, long jobInstanceId, String partition,
            BooleanSupplier keepWaiting) throws SQLException, InterruptedException {
        long key = key(jobInstanceId, partition);
        Connection connection = dataSource.getConnection();
        try {
            if (!connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")) {
                connection.close();
                return new PartitionLock(null, key);
            }
            while (!tryLock(connection, key)) {
                if (!keepWaiting.getAsBoolean()) {
                    connection.close();
                    return null;
                }
                Thread.sleep(RETRY_MILLIS);
            }
            return new PartitionLock(connection, key);
        }
        catch (SQLException | RuntimeException | InterruptedException ex) {
            connection.close();
            throw ex;
        }
    }

    private static boolean tryLock(Connection connection, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, key);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** FNV-1a of the job instance and the partition's step name, unique per partition of a run. */
    static long key(long jobInstanceId, String partition) {
        byte[] bytes = ("collect-partition:" + jobInstanceId + ":" + partition).getBytes(StandardCharsets.UTF_8);
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
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                statement.setLong(1, key);
                statement.execute();
            }
            finally {
                connection.close();
            }
        }
    }
}
