package dev.rolloutbatch.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.conversation.ConversationLog;

/**
 * The performance benchmark (not part of the test suite: its name matches none of surefire's includes). Run it
 * with {@code ./mvnw -B test -Dtest=CollectionBenchmark}; it prints a table. Settings, as {@code -D} options:
 * {@code bench.latencyMs} (100), {@code bench.steps} (10), {@code bench.concurrency} (16,256,1024),
 * {@code bench.episodesPerSlot} (4) and {@code bench.minEpisodes} (256): E = max(4·C, 256), so that even the
 * C = 16 run lasts long enough for the JIT's warm-up to be a small part of it, {@code bench.pool} (Hikari pool of the collect JVM, 16),
 * {@code bench.heap} (-Xmx of the collect JVM, 1g), {@code bench.environment} (simulated; {@code bench}: a no-op
 * environment that isolates the runner), {@code bench.constantLoad} (160: a second series offering the same calls per
 * second at every C, L = C / 160 s; 0 skips it), {@code bench.logging} (true: also measure the logging cost).
 * It asserts only sanity: every episode completed with one call per step.
 */
@SpringBootTest
@ActiveProfiles("pgtest")
class CollectionBenchmark {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    @Autowired
    ProblemCatalog catalog;

    @Autowired
    ConversationLog conversationLog;

    @Test
    void collectionEfficiencyAndLoggingCost() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "benchmark"));
        List<Problem> problems = catalog.problems().stream()
            .sorted(java.util.Comparator.comparing(Problem::id))
            .toList();
        CollectRun run = new CollectRun(jdbc, environment.getProperty("spring.datasource.url"), problems, dir);
        int steps = Integer.getInteger("bench.steps", 10);
        Duration latency = Duration.ofMillis(Long.getLong("bench.latencyMs", 100));
        int perSlot = Integer.getInteger("bench.episodesPerSlot", 4);
        int minEpisodes = Integer.getInteger("bench.minEpisodes", 256);
        int pool = Integer.getInteger("bench.pool", 16);
        String heap = System.getProperty("bench.heap", "1g");
        String env = System.getProperty("bench.environment", "simulated");
        List<CollectRun.Result> rows = new ArrayList<>();
        for (int c : concurrencies()) {
            rows.add(measure(run, new CollectRun.Settings(c, Math.max(perSlot * c, minEpisodes), steps, latency, pool,
                    heap, env)));
        }
        // The same calls per second offered at every C (L = C / rate): does concurrency itself cost anything?
        int rate = Integer.getInteger("bench.constantLoad", 160);
        List<CollectRun.Result> constantLoad = new ArrayList<>();
        for (int c : rate <= 0 ? new int[0] : concurrencies()) {
            constantLoad.add(measure(run, new CollectRun.Settings(c, Math.max(c, minEpisodes), steps,
                    Duration.ofMillis(1000L * c / rate), pool, heap, env)));
        }
        LoggingCost.Result logging = Boolean.parseBoolean(System.getProperty("bench.logging", "true"))
                ? new LoggingCost(jdbc, conversationLog).measure(256, 100, 10, 1_000) : null;
        String table = String.format(Locale.ROOT, "Collection (Java %s, %d cores, load average %s)%n",
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), loadAverage())
                + collection(rows) + (constantLoad.isEmpty() ? "" : String.format(Locale.ROOT,
                        "%nThe same offered load at every concurrency: L = C / %d calls/s, E = max(C, %d)%n", rate,
                        minEpisodes) + collection(constantLoad))
                + cpu(rows, constantLoad) + logging(logging) + exportFigures();
        Files.writeString(dir.resolve("results.md"), table);
        System.out.println("\n" + table);
        System.out.println("\n" + StartupBenchmark.report(environment.getProperty("spring.datasource.url")));
    }

    /**
     * The export benchmark in a JVM of its own with {@code -Xmx256m}: it seeds {@code bench.exportRows} (100,000)
     * trajectories into this database, exports them and reports rows/s, MB/s, file size and peak heap.
     */
    private String exportFigures() throws Exception {
        int rows = Integer.getInteger("bench.exportRows", 100_000);
        if (rows <= 0) {
            return "";
        }
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.rolloutbatch.export.ExportBenchmark",
                "--rows=" + rows, "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"))
            .redirectErrorStream(true)
            .start();
        List<String> figures = new ArrayList<>();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream())).lines()) {
            lines.filter(line -> line.startsWith("seeded ") || line.startsWith("exported ") || line.startsWith("heap: "))
                .forEach(figures::add);
        }
        assertThat(process.waitFor()).as("the export benchmark's exit code").isZero();
        assertThat(figures).as("the export benchmark's figures").hasSize(3);
        return String.format(Locale.ROOT, "%nExport (%,d trajectories, -Xmx256m, a JVM of its own)%n", rows)
                + figures.stream().map(line -> "- " + line).collect(java.util.stream.Collectors.joining("\n")) + "\n";
    }

    private static int[] concurrencies() {
        return Arrays.stream(System.getProperty("bench.concurrency", "16,256,1024").split(","))
            .map(String::trim)
            .mapToInt(Integer::parseInt)
            .toArray();
    }

    /** Runs each distinct setting once (the two series share their C = 16 row). */
    private final java.util.Map<CollectRun.Settings, CollectRun.Result> measured = new java.util.HashMap<>();

    private CollectRun.Result measure(CollectRun run, CollectRun.Settings settings) throws Exception {
        CollectRun.Result row = measured.get(settings);
        if (row == null) {
            row = run.measure(settings);
            measured.put(settings, row);
            System.out.println(format(row) + "\n" + formatCpu(row));
        }
        return row;
    }

    private static String collection(List<CollectRun.Result> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| C | episodes x steps | latency | ideal s | wall s | efficiency | first answer s | warm efficiency "
                + "| LLM calls/s | messages/s | peak RSS MB | peak DB conns (open/busy) | peak calls in flight |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CollectRun.Result row : rows) {
            out.append(format(row)).append('\n');
        }
        return out.toString();
    }

    private static String cpu(List<CollectRun.Result> rows, List<CollectRun.Result> more) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nWhere the CPU went, per LLM call (each collect JVM's whole life)%n"));
        out.append("| C | latency | collect JVM ms | LLM fixture ms | PostgreSQL and the rest ms | all ms "
                + "| machine busy |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CollectRun.Result row : rows) {
            out.append(formatCpu(row)).append('\n');
        }
        for (CollectRun.Result row : more) {
            if (!rows.contains(row)) {
                out.append(formatCpu(row)).append('\n');
            }
        }
        return out.toString();
    }

    private static String logging(LoggingCost.Result logging) {
        if (logging == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nLogging through ConversationLog into PostgreSQL%n"));
        out.append("| figure | value |\n|---|---:|\n");
        out.append(String.format(Locale.ROOT, "| messages/s (%d conversations x %d messages, appended at once) | %.0f |%n",
                logging.conversations(), logging.messagesEach(), logging.messagesPerSecond()));
        out.append(String.format(Locale.ROOT, "| append + durable, message %d of one conversation (median ms) | %.2f |%n",
                logging.early(), logging.earlyMs()));
        out.append(String.format(Locale.ROOT, "| append + durable, message %d of one conversation (median ms) | %.2f |%n",
                logging.late(), logging.lateMs()));
        return out.toString();
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        }
        catch (java.io.IOException | RuntimeException ex) {
            return "unknown";
        }
    }

    private static String format(CollectRun.Result r) {
        CollectRun.Settings s = r.settings();
        return String.format(Locale.ROOT,
                "| %d | %d x %d | %d ms | %.1f | %.1f | %.2f | %.1f | %.2f | %.0f | %.0f | %d | %d / %d | %d |",
                s.concurrency(), s.episodes(), s.steps(), s.latency().toMillis(), s.idealSeconds(), r.wallSeconds(),
                r.efficiency(), r.warmupSeconds(), r.warmEfficiency(), r.llmCalls() / r.wallSeconds(), r.messages() / r.wallSeconds(), r.peakRssMb(),
                r.peakDbConnections(), r.peakBusyDbConnections(), r.peakInFlight());
    }

    private static String formatCpu(CollectRun.Result r) {
        CpuAccount.Usage cpu = r.cpu();
        double perCall = 1000.0 / r.llmCalls();
        return String.format(Locale.ROOT, "| %d | %d ms | %.2f | %.2f | %.2f | %.2f | %.0f %% |", r.settings().concurrency(),
                r.settings().latency().toMillis(), cpu.collect() * perCall, cpu.fixture() * perCall,
                cpu.others() * perCall, cpu.machine() * perCall, 100 * cpu.busy());
    }
}
