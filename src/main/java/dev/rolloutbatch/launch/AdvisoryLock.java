package dev.rolloutbatch.launch;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * A named lock held by one process at a time: on PostgreSQL a session advisory lock on a dedicated connection, which
 * the database frees the moment its holder dies, SIGKILL included. Used for a job instance (so that a restart can
 * tell a dead run from a live one) and for a partition of a distributed run (so that it never runs twice at once).
 * An H2 file database admits one process only, so there the lock is implicit.
 */
public final class AdvisoryLock implements AutoCloseable {

    private static final long RETRY_MILLIS = 1000;

    private final @Nullable Connection connection;
    private final long key;

    private AdvisoryLock(@Nullable Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    /** @return null when another live process holds the lock */
    public static @Nullable AdvisoryLock tryAcquire(DataSource dataSource, String name) throws SQLException {
        try {
            return acquire(dataSource, name, () -> false);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking the lock " + name, ex);
        }
    }

    /**
     * Waits for the lock, retrying every second while {@code keepWaiting} holds.
     *
     * @return null when the wait was given up
     */
    public static @Nullable AdvisoryLock acquire(DataSource dataSource, String name, BooleanSupplier keepWaiting)
            throws SQLException, InterruptedException {
        long key = key(name);
        Connection connection = dataSource.getConnection();
        try {
            if (!connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")) {
                connection.close();
                return new AdvisoryLock(null, key);
            }
            while (!tryLock(connection, key)) {
                if (!keepWaiting.getAsBoolean()) {
                    connection.close();
                    return null;
                }
                Thread.sleep(RETRY_MILLIS);
            }
            return new AdvisoryLock(connection, key);
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

    /** FNV-1a of the name: advisory locks are keyed by a 64-bit number. */
    static long key(String name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
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
