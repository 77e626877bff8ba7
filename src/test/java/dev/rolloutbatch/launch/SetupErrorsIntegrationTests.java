package dev.rolloutbatch.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-setup corpus: the application started as a user starts it (its own JVM, {@code main}), with a
 * configuration that cannot work. Each must end with one line on stderr that names the cause and the fix, no
 * stack trace anywhere, and the documented exit code (2: fix the configuration; 1: may pass, e.g. a database
 * that is down or locked). The JVMs of all cases run side by side.
 */
class SetupErrorsIntegrationTests {

    private static final String PG = System.getenv().getOrDefault("ROLLOUT_TEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/rollout_test");

    private record Case(String name, int exitCode, List<String> expected, List<String> arguments) {
    }

    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Path dir;

    private static Connection h2Holder;

    private static java.net.ServerSocket portHolder;

    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    private static final Map<String, Outcome> OUTCOMES = new LinkedHashMap<>();

    @BeforeAll
    static void runEveryCase() throws Exception {
        dir = Files.createTempDirectory("rollout-setup-");
        Path negative = Files.writeString(dir.resolve("negative-prices.csv"),
                "# version: test\nmodel,input_uncached,cache_read,cache_write,output\ngpt-4o,-1,0,0,10\n");
        Path headless = Files.writeString(dir.resolve("no-columns.csv"), "model,input\n");
        String h2 = "jdbc:h2:file:" + dir.resolve("held") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        // Another process's embedded database: H2 locks the file for the JVM that opened it.
        h2Holder = DriverManager.getConnection(h2, "sa", "");
        String pgServer = PG.substring(0, PG.lastIndexOf('/'));
        portHolder = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());

        add(new Case("database down", 1, List.of("Cannot connect to the database jdbc:postgresql://127.0.0.1:1/rollouts",
                "start the server", "SPRING_DATASOURCE_URL"),
                List.of("--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/rollouts?password=hunter2",
                        "--spring.datasource.hikari.connection-timeout=2000")));
        add(new Case("database missing", 2, List.of("does not exist", "createdb"),
                List.of("--spring.datasource.url=" + pgServer + "/rollout_no_such_database",
                        "--spring.datasource.username=postgres")));
        add(new Case("H2 file locked", 1, List.of("is in use by another process", "--spring.datasource.url"),
                List.of("--spring.datasource.url=" + h2)));
        add(new Case("negative price", 2, List.of("The price table cannot be used",
                negative + " line 3: input_uncached must not be negative", "rollout.pricing.file"),
                List.of("--rollout.pricing.file=" + negative, "--spring.datasource.url=jdbc:h2:mem:prices")));
        add(new Case("price file without columns", 2, List.of("has no column input_uncached"),
                List.of("--rollout.pricing.file=" + headless, "--spring.datasource.url=jdbc:h2:mem:columns")));
        add(new Case("price file missing", 2, List.of("cannot read the price file", "no such file"),
                List.of("--rollout.pricing.file=" + dir.resolve("absent.csv"),
                        "--spring.datasource.url=jdbc:h2:mem:absent")));
        add(new Case("unreadable duration", 2, List.of("Invalid property rollout.collect.progress-interval='often'",
                "not a valid duration", "Fix it"),
                List.of("--rollout.collect.progress-interval=often", "--spring.datasource.url=jdbc:h2:mem:duration")));
        add(new Case("negative grace period", 2, List.of("rollout.shutdown.grace-period must not be negative"),
                List.of("--rollout.shutdown.grace-period=-5s", "--spring.datasource.url=jdbc:h2:mem:grace")));
        add(new Case("open server without a token", 2, List.of("would listen on 0.0.0.0 without a token",
                "ROLLOUTS_API_TOKEN", "rollout.api.allow-unauthenticated=true"),
                List.of("--spring.profiles.active=serve", "--server.address=0.0.0.0", "--server.port=0",
                        "--rollout.api.token=", "--spring.datasource.url=jdbc:h2:mem:serve")));
        add(new Case("distributed manager on H2", 2, List.of("A manager (rollout.distribution.enabled) needs the"
                + " PostgreSQL database", "'jdbc:h2'", "--spring.profiles.active=postgres"),
                List.of("--rollout.distribution.enabled=true", "--spring.datasource.url=jdbc:h2:mem:manager")));
        add(new Case("worker on H2", 2, List.of("A worker (the worker profile) needs the PostgreSQL database",
                "'jdbc:h2'", "SPRING_DATASOURCE_URL"),
                List.of("--spring.profiles.active=worker", "--spring.datasource.url=jdbc:h2:mem:worker")));
        add(new Case("port in use", 1, List.of("Port " + portHolder.getLocalPort() + " is already in use",
                "--server.port"),
                List.of("--spring.profiles.active=serve", "--server.port=" + portHolder.getLocalPort(),
                        "--rollout.api.token=", "--rollout.api.workers=0", "--spring.datasource.url=jdbc:h2:mem:port")));

        Map<String, Process> processes = new LinkedHashMap<>();
        for (Case c : CASES.values()) {
            processes.put(c.name(), start(c));
        }
        for (Map.Entry<String, Process> entry : processes.entrySet()) {
            Process process = entry.getValue();
            if (!process.waitFor(4, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            String key = fileKey(entry.getKey());
            OUTCOMES.put(entry.getKey(), new Outcome(process.isAlive() ? -1 : process.exitValue(),
                    Files.readString(dir.resolve(key + ".out")), Files.readString(dir.resolve(key + ".err"))));
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        h2Holder.close();
        portHolder.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of("database down", "database missing", "H2 file locked", "negative price",
                "price file without columns", "price file missing", "unreadable duration", "negative grace period",
                "open server without a token", "distributed manager on H2", "worker on H2", "port in use")
            .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineOnStderrNamingTheCauseAndTheFixAndTheDocumentedExitCode(String name) {
        Case c = CASES.get(name);
        Outcome outcome = OUTCOMES.get(name);
        String context = "stderr:\n" + outcome.stderr() + "\nstdout (end):\n"
                + outcome.stdout().substring(Math.max(0, outcome.stdout().length() - 3000));
        List<String> lines = outcome.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(context).hasSize(1);
        for (String expected : c.expected()) {
            assertThat(lines.getFirst()).as(context).contains(expected);
        }
        assertThat(outcome.exitCode()).as(context).isEqualTo(c.exitCode());
        assertThat(outcome.stdout() + outcome.stderr()).as("no stack trace: " + context)
            .doesNotContain("\tat ")
            .doesNotContain("Caused by:")
            .doesNotContain("APPLICATION FAILED TO START")
            .doesNotContain("hunter2");
    }

    private static void add(Case c) {
        CASES.put(c.name(), c);
    }

    private static Process start(Case c) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.rolloutbatch.RolloutBatchApplication"));
        command.addAll(c.arguments());
        String key = fileKey(c.name());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve(key + ".out").toFile())
            .redirectError(dir.resolve(key + ".err").toFile());
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        builder.environment().remove("OPENAI_API_KEY");
        return builder.start();
    }

    private static String fileKey(String name) {
        return name.replaceAll("[^a-zA-Z0-9]+", "-");
    }
}
