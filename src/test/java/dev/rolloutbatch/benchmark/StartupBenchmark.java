package dev.rolloutbatch.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.FileSystemUtils;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;

/**
 * The start-up benchmark (not part of the test suite: its name matches none of surefire's includes). It builds
 * nothing: it runs the jar that {@code ./rollout-batch} (or {@code ./mvnw package}) left in {@code target/}, the
 * way a user does, and prints a table (also {@code target/benchmark/startup.md}):
 * <ul>
 * <li>from the process start to the first LLM request at a fixed-latency OpenAI-protocol server
 * ({@link OpenAiProtocolFixture}), for {@code java -jar target/rollout-batch.jar} and for {@code ./rollout-batch}
 * (extracted jar and AOT cache), on PostgreSQL (this database) and on the embedded H2 default: the median of
 * {@code bench.startupRuns} (5) runs after one that is not counted;</li>
 * <li>the export of one collected night (the 89 problems of {@code jobs/nightly.csv} x 4 samples, scripted
 * policy) in every format, wall time from the process start to its exit;</li>
 * <li>the same start-up figure for a Python peer ({@code python/benchmark/startup_peer.py}: the official
 * {@code openai} SDK and asyncpg, same server, same database), and the ratios.</li>
 * </ul>
 * Run it with {@code ./mvnw -B test -Dtest=StartupBenchmark} and {@code ROLLOUT_TEST_DB_URL} pointing at a
 * database of its own: <b>it empties that database</b>. {@code bench.python} (python3) is the interpreter, with the
 * packages of {@code python/benchmark/requirements-startup.txt}; {@code bench.startupExport=false} skips the export,
 * {@code bench.startupDatabases=postgresql} the H2 rows,
 * {@code bench.startupRuns=0} everything (CollectionBenchmark ends by running it).
 */
class StartupBenchmark {

    private static final Reply SUBMIT = Reply.content("```\nsubmit(\"Yes\")\n```");

    private static final Path ROOT = Path.of("").toAbsolutePath();

    private static final Path JAR = ROOT.resolve("target/rollout-batch.jar");

    private static final Path LAUNCHER = ROOT.resolve("rollout-batch");

    private static final Duration LATENCY = Duration.ofMillis(50);

    @Test
    void startupToFirstRequestAndExport() throws Exception {
        String url = System.getenv().getOrDefault("ROLLOUT_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/rollout_test");
        String table = report(url);
        System.out.println("\n" + table);
    }

    /** The same without JUnit (from the test class path, as ExportBenchmark runs). */
    public static void main(String[] args) throws Exception {
        new StartupBenchmark().startupToFirstRequestAndExport();
    }

    /** Runs every measurement against the PostgreSQL database at {@code jdbcUrl} (emptied first); the report. */
    static String report(String jdbcUrl) throws Exception {
        assertThat(JAR).as("the jar (build it with ./rollout-batch java-home && ./mvnw -B package -DskipTests)")
            .isRegularFile();
        Path dir = Files.createDirectories(ROOT.resolve("target/benchmark/startup"));
        int runs = Integer.getInteger("bench.startupRuns", 5);
        if (runs <= 0) {
            return "";
        }
        String user = System.getenv().getOrDefault("ROLLOUT_TEST_DB_USER", "postgres");
        String bareUrl = jdbcUrl.contains("?") ? jdbcUrl.substring(0, jdbcUrl.indexOf('?')) : jdbcUrl;
        emptyDatabase(bareUrl, user);
        Path oneProblem = Files.writeString(dir.resolve("one-problem.csv"),
                "problem_id,samples\nk8s_target_port-misconfig-detection-1,1\n");
        List<Row> rows = new ArrayList<>();
        try (OpenAiProtocolFixture llm = OpenAiProtocolFixture.start()) {
            FirstRequest firstRequest = new FirstRequest();
            llm.latency(LATENCY).recordRequests(false).responder(request -> {
                firstRequest.arrived();
                return SUBMIT;
            });
            Starts starts = new Starts(dir, llm.baseUrl(), firstRequest, bareUrl, user, oneProblem);
            for (Launch launch : Launch.values()) {
                for (Database database : databases()) {
                    rows.add(starts.measure(launch, database, runs));
                }
            }
            rows.add(starts.measurePython(runs));
        }
        List<Row> exports = Boolean.parseBoolean(System.getProperty("bench.startupExport", "true"))
                ? new NightExport(dir, bareUrl, user).measure(Math.max(1, runs / 2)) : List.of();
        String report = format(rows, exports, runs);
        Files.writeString(ROOT.resolve("target/benchmark/startup.md"), report);
        return report;
    }

    enum Launch {
        PLAIN_JAR("java -jar target/rollout-batch.jar"), FAST_START("./rollout-batch");

        final String label;

        Launch(String label) {
            this.label = label;
        }

        List<String> command() {
            return this == PLAIN_JAR ? List.of(java(), "-jar", JAR.toString()) : List.of(LAUNCHER.toString());
        }
    }

    enum Database {
        POSTGRESQL, H2
    }

    /** @param cpuSeconds the process's CPU by the first request (empty for exports) */
    record Row(String what, List<Double> seconds, List<Double> cpuSeconds) {

        static double median(List<Double> values) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = sorted.length;
            return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        double median() {
            return median(seconds);
        }

        double cpuMedian() {
            return median(cpuSeconds);
        }

        double min() {
            return seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }

        double max() {
            return seconds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }
    }

    /**
     * When the first request of the process being measured reached the fixture, and the CPU that process had used by
     * then (user + system, all its threads: the figure that a loaded machine does not inflate).
     */
    private static final class FirstRequest {

        private volatile ProcessHandle process;
        private final AtomicLong nanos = new AtomicLong();
        private volatile double cpuSeconds;

        void expect(ProcessHandle next) {
            nanos.set(0);
            cpuSeconds = 0;
            process = next;
        }

        void arrived() {
            if (nanos.compareAndSet(0, System.nanoTime())) {
                ProcessHandle current = process;
                cpuSeconds = current == null ? 0
                        : current.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
            }
        }
    }

    /** Process starts, each timed from {@link ProcessBuilder#start} to the fixture's first request. */
    private record Starts(Path dir, String baseUrl, FirstRequest firstRequest, String jdbcUrl, String user,
            Path oneProblem) {

        /** One run that is not counted (it prepares the launcher's fast start, migrates H2), then {@code runs}. */
        Row measure(Launch launch, Database database, int runs) throws Exception {
            Path work = Files.createDirectories(dir.resolve(launch.name().toLowerCase(Locale.ROOT) + "-"
                    + database.name().toLowerCase(Locale.ROOT)));
            // The H2 file database of an earlier benchmark holds the same nights, completed (exit 3).
            FileSystemUtils.deleteRecursively(work.resolve("data"));
            List<Double> seconds = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int i = 0; i <= runs; i++) {
                List<String> command = new ArrayList<>(launch.command());
                command.addAll(List.of("problems=" + oneProblem, "runDate=" + night(launch, database, i),
                        "policy=openai", "model=gpt-4o-mini", "maxSteps=1", "concurrency=1"));
                Map<String, String> env = database == Database.POSTGRESQL
                        ? Map.of("SPRING_PROFILES_ACTIVE", "postgres", "SPRING_DATASOURCE_URL", jdbcUrl,
                                "SPRING_DATASOURCE_USERNAME", user)
                        : Map.of();
                double s = timeToFirstRequest(command, env, work, work.resolve("run-" + i + ".log"));
                if (i > 0) {
                    seconds.add(s);
                    cpu.add(firstRequest.cpuSeconds);
                }
            }
            return new Row(launch.label + ", " + (database == Database.H2 ? "H2 (default)" : "PostgreSQL")
                    + ": first LLM request", seconds, cpu);
        }

        Row measurePython(int runs) throws Exception {
            String python = System.getProperty("bench.python", "python3");
            String dsn = jdbcUrl.replaceFirst("^jdbc:postgresql://", "postgresql://" + user + "@");
            List<Double> seconds = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int i = 0; i <= runs; i++) {
                double s = timeToFirstRequest(List.of(python, ROOT.resolve("python/benchmark/startup_peer.py")
                    .toString(), "--base-url", baseUrl, "--dsn", dsn), Map.of(), dir, dir.resolve("python-" + i + ".log"));
                if (i > 0) {
                    seconds.add(s);
                    cpu.add(firstRequest.cpuSeconds);
                }
            }
            return new Row("Python peer (openai SDK + asyncpg), PostgreSQL: first LLM request", seconds, cpu);
        }

        private double timeToFirstRequest(List<String> command, Map<String, String> env, Path work, Path log)
                throws Exception {
            ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
            builder.environment().remove("SPRING_PROFILES_ACTIVE");
            builder.environment().putAll(env);
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("OPENAI_BASE_URL", baseUrl);
            builder.environment().put("OPENAI_API_KEY", "sk-bench-not-a-real-key");
            long start = System.nanoTime();
            Process process = builder.start();
            firstRequest.expect(process.toHandle());
            boolean ended = process.waitFor(20, TimeUnit.MINUTES);
            if (!ended) {
                process.destroyForcibly();
            }
            assertThat(ended).as("ended; log: " + log).isTrue();
            assertThat(process.exitValue()).as("exit code; log: " + log).isZero();
            assertThat(firstRequest.nanos.get()).as("a request reached the server; log: " + log).isNotZero();
            return (firstRequest.nanos.get() - start) / 1e9;
        }

        /** A night of its own for every run: a run is identified by its problem list and night. */
        private static LocalDate night(Launch launch, Database database, int i) {
            return LocalDate.of(2040, 1, 1).plusDays(100L * (launch.ordinal() * 2 + database.ordinal()) + i);
        }
    }

    /** One night collected offline (scripted policy) into PostgreSQL, then exported in every format. */
    private record NightExport(Path dir, String jdbcUrl, String user) {

        static final String NIGHT = "2026-11-25";

        List<Row> measure(int runs) throws Exception {
            Path work = Files.createDirectories(dir.resolve("export"));
            run(List.of(LAUNCHER.toString(), "problems=" + ROOT.resolve("jobs/nightly.csv"), "runDate=" + NIGHT,
                    "samples=4", "policy=scripted", "concurrency=64"), work, work.resolve("collect.log"));
            List<Row> rows = new ArrayList<>();
            int instance = 0;
            for (Launch launch : Launch.values()) {
                List<Double> seconds = new ArrayList<>();
                for (int i = 0; i <= runs; i++) {
                    List<String> command = new ArrayList<>(launch.command());
                    command.addAll(List.of("--spring.batch.job.name=export", "runDate=" + NIGHT, "format=all",
                            "output=" + work.resolve("datasets"), "run.id=" + (++instance)));
                    double s = run(command, work, work.resolve("export-" + instance + ".log"));
                    if (i > 0) {
                        seconds.add(s);
                    }
                }
                rows.add(new Row(launch.label + ": export of one night (356 episodes), format=all", seconds, List.of()));
            }
            return rows;
        }

        /** Wall seconds from the start to the exit, which must be 0. */
        private double run(List<String> command, Path work, Path log) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("SPRING_PROFILES_ACTIVE", "postgres", "SPRING_DATASOURCE_URL",
                    jdbcUrl, "SPRING_DATASOURCE_USERNAME", user, "JAVA_HOME", System.getProperty("java.home")));
            builder.environment().remove("OPENAI_BASE_URL");
            builder.environment().remove("OPENAI_API_KEY");
            long start = System.nanoTime();
            Process process = builder.start();
            boolean ended = process.waitFor(20, TimeUnit.MINUTES);
            if (!ended) {
                process.destroyForcibly();
            }
            assertThat(ended).as("ended; log: " + log).isTrue();
            assertThat(process.exitValue()).as("exit code; log: " + log).isZero();
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** {@code bench.startupDatabases}: postgresql,h2 (both). */
    private static List<Database> databases() {
        return Arrays.stream(System.getProperty("bench.startupDatabases", "postgresql,h2").split(","))
            .map(name -> Database.valueOf(name.trim().toUpperCase(Locale.ROOT)))
            .toList();
    }

    private static void emptyDatabase(String jdbcUrl, String user) {
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, user, ""));
        boolean migrated = Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 'batch_job_instance')",
                Boolean.class));
        if (migrated) {
            DatabaseCleaner.truncate(jdbc);
        }
    }

    private static String format(List<Row> rows, List<Row> exports, int runs) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Start-up (Java %s, %d cores, load average %s; median of %d runs after one not counted; LLM latency %d ms)%n",
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), loadAverage(), runs,
                LATENCY.toMillis()));
        out.append("| what | median s | min s | max s | CPU s by then (median) |\n|---|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(line(row).stripTrailing()).append(String.format(Locale.ROOT, " %.2f |%n", row.cpuMedian()));
        }
        Row python = rows.getLast();
        out.append(String.format(Locale.ROOT,
                "%nRatios to the Python peer (median / median)%n| Java | wall ratio | CPU ratio |%n|---|---:|---:|%n"));
        for (Row row : rows.subList(0, rows.size() - 1)) {
            if (row.what().contains("PostgreSQL")) {
                out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", row.what(),
                        row.median() / python.median(), row.cpuMedian() / python.cpuMedian()));
            }
        }
        if (!exports.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nExport, wall from the process start to its exit (PostgreSQL)%n"));
            out.append("| what | median s | min s | max s |\n|---|---:|---:|---:|\n");
            for (Row row : exports) {
                out.append(line(row));
            }
        }
        return out.toString();
    }

    private static String line(Row row) {
        return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", row.what(), row.median(), row.min(),
                row.max());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        }
        catch (IOException | RuntimeException ex) {
            return "unknown";
        }
    }
}
