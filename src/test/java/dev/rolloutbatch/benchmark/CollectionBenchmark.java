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

import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.conversation.ConversationLog;

/**
 * The performance benchmark (not part of the test suite: its name matches none of surefire's includes). Run it
 * with {@code ./mvnw -B test -Dtest=CollectionBenchmark}; it prints a table. Settings, as {@code -D} options:
 * {@code bench.latencyMs} (100), {@code bench.steps} (10), {@code bench.concurrency} (16,256,1024),
 * {@code bench.episodesPerSlot} (16), {@code bench.minEpisodes} (256) and {@code bench.maxEpisodes} (4,096):
 * E = max(16·C, 256) up to 4,096, so that every run lasts long enough for the JIT's warm-up (about ten seconds of a
 * core on 2 cores) to be behind the steady-state window, {@code bench.goal} (1024@1000: C@L points of the issue's
 * goal, E = 4·C as the goal states it; empty skips them), {@code bench.pool} (Hikari pool of the collect JVM and
 * asyncpg pool of the peer, 16), {@code bench.heap} (-Xmx of the collect JVM; by default none: the launcher's
 * defaults, or 1g on the class path, see {@link CollectCommand}), {@code bench.jvmArgs} (more options for the collect
 * JVM), {@code bench.environment}
 * (simulated; {@code bench}: a no-op environment that isolates the runner), {@code bench.constantLoad} (0: off; e.g.
 * 160 adds a series offering the same calls per second at every C, L = C / 160 s), {@code bench.peer} (true: run the
 * Python peer after each Java run), {@code bench.python} (python3), {@code bench.logging} (true: also measure the
 * logging cost), {@code bench.exportRows} (100,000; 0 skips the export benchmark).
 * It asserts only sanity: every episode completed with one call per step, for the peer too, which logs as many
 * messages as the Java run.
 */
@SpringBootTest
@ActiveProfiles("pgtest")
class CollectionBenchmark {

    /** The goal's run: four episodes per slot (E = 4,096 at C = 1,024), start-up included in its efficiency. */
    private static final int GOAL_EPISODES_PER_SLOT = 4;

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
        String url = environment.getProperty("spring.datasource.url");
        CollectRun run = new CollectRun(jdbc, url, environment.getProperty("spring.datasource.username", "postgres"),
                environment.getProperty("spring.datasource.password", ""), problems, dir);
        PeerRun peer = Boolean.parseBoolean(System.getProperty("bench.peer", "true"))
                ? new PeerRun(jdbc, url, environment.getProperty("spring.datasource.username", "postgres"),
                        environment.getProperty("spring.datasource.password"), dir,
                        System.getProperty("bench.python", "python3"))
                : null;
        if (peer != null) {
            peer.checkInstalled();
        }
        int steps = Integer.getInteger("bench.steps", 10);
        Duration latency = Duration.ofMillis(Long.getLong("bench.latencyMs", 100));
        int perSlot = Integer.getInteger("bench.episodesPerSlot", 16);
        int minEpisodes = Integer.getInteger("bench.minEpisodes", 256);
        int maxEpisodes = Integer.getInteger("bench.maxEpisodes", 4096);
        int pool = Integer.getInteger("bench.pool", 16);
        String heap = System.getProperty("bench.heap", "");
        String env = System.getProperty("bench.environment", "simulated");
        List<Measured> rows = new ArrayList<>();
        for (int c : concurrencies()) {
            int episodes = Math.max(Math.min(perSlot * c, maxEpisodes), minEpisodes);
            rows.add(measure(run, peer, new CollectRun.Settings(c, episodes, steps, latency, pool, heap, env)));
        }
        // The goal: efficiency at C = 1,024 and L = 1 s, start-up included.
        List<Measured> goal = new ArrayList<>();
        for (String point : goalPoints()) {
            int c = Integer.parseInt(point.substring(0, point.indexOf('@')).trim());
            Duration goalLatency = Duration.ofMillis(Long.parseLong(point.substring(point.indexOf('@') + 1).trim()));
            goal.add(measure(run, peer, new CollectRun.Settings(c, Math.max(GOAL_EPISODES_PER_SLOT * c, minEpisodes),
                    steps, goalLatency, pool, heap, env)));
        }
        // The same calls per second offered at every C (L = C / rate): does concurrency itself cost anything?
        int rate = Integer.getInteger("bench.constantLoad", 0);
        List<Measured> constantLoad = new ArrayList<>();
        for (int c : rate <= 0 ? new int[0] : concurrencies()) {
            constantLoad.add(measure(run, peer, new CollectRun.Settings(c, Math.max(c, minEpisodes), steps,
                    Duration.ofMillis(1000L * c / rate), pool, heap, env)));
        }
        LoggingCost.Result logging = Boolean.parseBoolean(System.getProperty("bench.logging", "true"))
                ? new LoggingCost(jdbc, conversationLog).measure(256, 100, 10, 1_000) : null;
        List<Measured> all = new ArrayList<>(rows);
        all.addAll(goal);
        all.addAll(constantLoad);
        String table = String.format(Locale.ROOT, "Collection (Java %s, %d cores, load average %s)%nCollect JVM: %s%n",
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), loadAverage(),
                run.startedAs())
                + collection(rows)
                + (goal.isEmpty() ? "" : String.format(Locale.ROOT, "%nThe goal: C = 1,024, L = 1 s%n") + collection(goal))
                + (constantLoad.isEmpty() ? "" : String.format(Locale.ROOT,
                        "%nThe same offered load at every concurrency: L = C / %d calls/s, E = max(C, %d)%n", rate,
                        minEpisodes) + collection(constantLoad))
                + cpu(all) + (peer == null ? "" : ratios(all)) + logging(logging) + exportFigures();
        Files.writeString(dir.resolve("results.md"), table);
        System.out.println("\n" + table);
        if (Integer.getInteger("bench.startupRuns", 5) > 0) {
            System.out.println("\n" + StartupBenchmark.report(environment.getProperty("spring.datasource.url")));
        }
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

    /** {@code bench.goal}: C@L(ms) points, comma-separated; empty skips them. */
    private static List<String> goalPoints() {
        return Arrays.stream(System.getProperty("bench.goal", "1024@1000").split(","))
            .map(String::trim)
            .filter(point -> !point.isEmpty())
            .toList();
    }

    /** One setting, collected by the Java runner and then by the Python peer (null when skipped). */
    record Measured(CollectRun.Result java, CollectRun.Result peer) {

        List<CollectRun.Result> both() {
            return peer == null ? List.of(java) : List.of(java, peer);
        }
    }

    /** Runs each distinct setting once (the series may share a row). */
    private final java.util.Map<CollectRun.Settings, Measured> measured = new java.util.HashMap<>();

    private Measured measure(CollectRun run, PeerRun peer, CollectRun.Settings requested) throws Exception {
        CollectRun.Settings settings = CollectRun.planned(requested);
        Measured row = measured.get(settings);
        if (row == null) {
            try (OpenAiProtocolFixture llm = OpenAiProtocolFixture.start()) {
                CollectRun.Result java = run.measure(settings, llm);
                System.out.println(format(java) + "\n" + formatCpu(java));
                CollectRun.Result python = peer == null ? null : peer.measure(settings, llm);
                if (python != null) {
                    System.out.println(format(python) + "\n" + formatCpu(python));
                    assertThat(python.messages()).as("the peer logged as many messages as the Java run")
                        .isEqualTo(java.messages());
                }
                row = new Measured(java, python);
            }
            measured.put(settings, row);
        }
        return row;
    }

    private static String collection(List<Measured> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| runner | C | episodes x steps | latency | ideal s | wall s | efficiency | first answer s "
                + "| warm efficiency | from start s | efficiency from start | LLM calls/s | messages/s | peak RSS MB "
                + "| peak DB conns (open/busy) | peak calls in flight |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measured row : rows) {
            row.both().forEach(result -> out.append(format(result)).append('\n'));
        }
        return out.toString();
    }

    private static String cpu(List<Measured> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nWhere the CPU went, per LLM call%n"));
        out.append("| runner | C | latency | runner process ms, whole life | runner process ms, steady state "
                + "| LLM fixture ms | PostgreSQL and the rest ms | all ms | machine busy |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        rows.stream().distinct().forEach(row -> row.both().forEach(result -> out.append(formatCpu(result)).append('\n')));
        return out.toString();
    }

    /** Java's figure divided by the peer's, per setting. */
    private static String ratios(List<Measured> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nJava / Python peer (below 1: Java takes less; above 1: more)%n"));
        out.append("| C | latency | wall | efficiency | efficiency from start | first answer | CPU per call, whole life "
                + "| CPU per call, steady state | all CPU per call | peak RSS |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        rows.stream().distinct().forEach(row -> {
            CollectRun.Result j = row.java();
            CollectRun.Result p = row.peer();
            out.append(String.format(Locale.ROOT, "| %d | %d ms | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                    j.settings().concurrency(), j.settings().latency().toMillis(), j.wallSeconds() / p.wallSeconds(),
                    j.efficiency() / p.efficiency(), j.efficiencyFromStart() / p.efficiencyFromStart(),
                    j.warmupSeconds() / p.warmupSeconds(), j.cpu().collect() / j.llmCalls() / (p.cpu().collect() / p.llmCalls()),
                    j.steadyCpuMs() / p.steadyCpuMs(), j.cpu().machine() / j.llmCalls() / (p.cpu().machine() / p.llmCalls()),
                    (double) j.peakRssMb() / p.peakRssMb()));
        });
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
                "| %s | %d | %d x %d | %d ms | %.1f | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f | %.0f | %.0f | %d | %d / %d | %d |",
                r.runner(), s.concurrency(), s.episodes(), s.steps(), s.latency().toMillis(), s.idealSeconds(),
                r.wallSeconds(), r.efficiency(), r.warmupSeconds(), r.warmEfficiency(), r.fromStartSeconds(),
                r.efficiencyFromStart(), r.llmCalls() / r.wallSeconds(), r.messages() / r.wallSeconds(), r.peakRssMb(),
                r.peakDbConnections(), r.peakBusyDbConnections(), r.peakInFlight());
    }

    private static String formatCpu(CollectRun.Result r) {
        CpuAccount.Usage cpu = r.cpu();
        double perCall = 1000.0 / r.llmCalls();
        return String.format(Locale.ROOT, "| %s | %d | %d ms | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f %% |", r.runner(),
                r.settings().concurrency(), r.settings().latency().toMillis(), cpu.collect() * perCall,
                r.steadyCpuMs(), cpu.fixture() * perCall, cpu.others() * perCall, cpu.machine() * perCall,
                100 * cpu.busy());
    }
}
