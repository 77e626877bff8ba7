package dev.rolloutbatch;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own: a cluster initialised into a temporary directory and run on a free
 * port with the machine's PostgreSQL binaries, so a test may restart or stop it without touching the machine's
 * cluster (which other tests and developers share).
 * <p>
 * PostgreSQL refuses to run as root; as root the directory is given to the {@code postgres} user and the
 * binaries run as that user through {@code runuser}.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final String SERVICE_USER = "postgres";

    private final Path bin;
    private final Path home;
    private final Path data;
    private final int port;
    private final boolean asServiceUser;

    private PrivatePostgres(Path bin, Path home, int port, boolean asServiceUser) {
        this.bin = bin;
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
        this.asServiceUser = asServiceUser;
    }

    /** The newest installed PostgreSQL's bin directory, or null when none is installed. */
    public static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                .max(Comparator.comparing(b -> versionOf(b.getParent())))
                .orElse(null);
        }
        catch (IOException ex) {
            return null;
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().replaceAll("\\..*", ""));
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    /** Initialises and starts a new cluster; {@link #close()} stops it and deletes its files. */
    public static PrivatePostgres start() throws IOException, InterruptedException {
        Path bin = binaries();
        if (bin == null) {
            throw new IllegalStateException("no PostgreSQL binaries under /usr/lib/postgresql/*/bin");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path home = Files.createTempDirectory("rollout-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (root) {
            UserPrincipalLookupService users = home.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(home, users.lookupPrincipalByName(SERVICE_USER));
        }
        PrivatePostgres postgres = new PrivatePostgres(bin, home, freePort(), root);
        try {
            postgres.run(60, "initdb", "-D", postgres.data.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-sync");
            postgres.pgCtl("start");
        }
        catch (IOException | RuntimeException ex) {
            postgres.close();
            throw ex;
        }
        return postgres;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    /** A fast shutdown (open sessions are ended) and a start, as an operator's restart does. */
    public void restart() throws IOException, InterruptedException {
        pgCtl("restart");
    }

    private void pgCtl(String action) throws IOException, InterruptedException {
        // Sockets in our own directory: the machine's /var/run/postgresql belongs to the machine's cluster.
        run(120, "pg_ctl", "-D", data.toString(), "-w", "-t", "60", "-m", "fast", "-l",
                home.resolve("server.log").toString(), "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -k " + home + " -c fsync=off"
                        + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=60",
                action);
    }

    private void run(int timeoutSeconds, String program, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (asServiceUser) {
            command.addAll(List.of("runuser", "-u", SERVICE_USER, "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("rollout-pg-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .directory(home.toFile())
                .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish in " + timeoutSeconds + "s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(program + " exited " + process.exitValue() + ": "
                        + Files.readString(output) + serverLog());
            }
        }
        finally {
            Files.deleteIfExists(output);
        }
    }

    private String serverLog() {
        try {
            Path log = home.resolve("server.log");
            return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
        }
        catch (IOException ex) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(60, "pg_ctl", "-D", data.toString(), "-w", "-m", "immediate", "stop");
            }
        }
        finally {
            try (Stream<Path> files = Files.walk(home)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
