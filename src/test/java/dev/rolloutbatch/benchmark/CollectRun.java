package dev.rolloutbatch.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.RecordedRequest;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;
import dev.rolloutbatch.catalog.Problem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One row of the collection benchmark: a real collect run ({@code policy=openai}, PostgreSQL, the real dispatcher,
 * episode runner and conversation log) in its own JVM against the local OpenAI-protocol fixture, which answers
 * every call after a fixed latency so that every episode takes exactly {@code steps} calls.
 */
final class CollectRun {

    static final String APPLICATION_NAME = "rollout-bench";

    private static final Reply LOOK = Reply.content("```\nexec_shell(\"kubectl get pods -n test-social-network\")\n```");

    private static final Reply SUBMIT = Reply.content("```\nsubmit(\"Yes\")\n```");

    /** At most this many problems in the list; samples make up the rest. */
    private static final int PROBLEMS = 64;

    /** @param heap -Xmx of the collect JVM, or empty for the default of the way it starts ({@link CollectCommand}) */
    record Settings(int concurrency, int episodes, int steps, Duration latency, int poolSize, String heap,
            String environment) {

        /** The least time these episodes can take: every call waits the latency, C at a time. */
        double idealSeconds() {
            return (double) episodes * steps * latency.toMillis() / 1000.0 / concurrency;
        }
    }

    /**
     * @param runner           who collected: {@link #JAVA} or {@link PeerRun#RUNNER}
     * @param warmupSeconds    from the first episode's start to the first answer received: the LLM client's one-time
     *                         warm-up (class loading, Kotlin reflection of the SDK) and the latency of that first call
     * @param fromStartSeconds from the process's start to the last episode's end: start-up included
     * @param steadyCpuMs      the process's CPU per LLM call between 10 % and 90 % of the calls (ms)
     */
    record Result(String runner, Settings settings, double wallSeconds, double warmupSeconds, double fromStartSeconds,
            long llmCalls, long messages, long peakRssMb, int peakDbConnections, int peakBusyDbConnections,
            int peakInFlight, CpuAccount.Usage cpu, double steadyCpuMs) {

        double efficiency() {
            return settings.idealSeconds() / wallSeconds;
        }

        /** The efficiency once the client is warm: as if the first answer had come after one latency. */
        double warmEfficiency() {
            double latency = settings.latency().toMillis() / 1000.0;
            return settings.idealSeconds() / (wallSeconds - Math.max(0, warmupSeconds - latency));
        }

        /** The efficiency of the whole command: process start to last episode end. */
        double efficiencyFromStart() {
            return settings.idealSeconds() / fromStartSeconds;
        }
    }

    static final String JAVA = "Java";

    private final JdbcTemplate jdbc;
    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;
    private final List<Problem> problems;
    private final Path workDir;
    /** How the last run's collect JVM was started (see {@link CollectCommand}). */
    private String startedAs = "";

    CollectRun(JdbcTemplate jdbc, String databaseUrl, String databaseUser, String databasePassword,
            List<Problem> problems, Path workDir) {
        this.jdbc = jdbc;
        this.databaseUrl = databaseUrl;
        this.databaseUser = databaseUser;
        this.databasePassword = databasePassword;
        this.problems = problems;
        this.workDir = workDir;
    }

    /** How the last run's collect JVM was started: one line for the report. */
    String startedAs() {
        return startedAs;
    }

    /** The settings a run really uses: E rounded down to a whole number of samples per problem. */
    static Settings planned(Settings requested) {
        int rows = Math.min(PROBLEMS, requested.episodes());
        int samples = requested.episodes() / rows;
        return new Settings(requested.concurrency(), rows * samples, requested.steps(), requested.latency(),
                requested.poolSize(), requested.heap(), requested.environment());
    }

    /**
     * Readies the fixture for one run (the Java run and the peer's share one fixture): forgets the last run's counts,
     * and answers after the latency, scripted per conversation.
     */
    static void configure(OpenAiProtocolFixture llm, Settings s) {
        llm.reset().latency(s.latency()).recordRequests(false).responder(request -> reply(request, s.steps()));
    }

    Result measure(Settings s, OpenAiProtocolFixture llm) throws Exception {
        int rows = Math.min(PROBLEMS, s.episodes());
        int samples = s.episodes() / rows;
        StringBuilder csv = new StringBuilder("problem_id,samples\n");
        problems.stream().limit(rows).forEach(p -> csv.append(p.id()).append(',').append(samples).append('\n'));
        Path list = Files.writeString(workDir.resolve("bench-" + s.concurrency() + "-" + s.latency().toMillis() + "ms.csv"), csv);
        Path log = workDir.resolve("collect-" + s.concurrency() + "-" + s.latency().toMillis() + "ms.log");
        DatabaseCleaner.truncate(jdbc);
        configure(llm, s);
        Instant start = Instant.now();
        Process process = start(s, list, log, llm.baseUrl());
        Watched watched = watch(process, jdbc, APPLICATION_NAME, llm, (long) s.episodes() * s.steps(), log,
                "collect");
        return result(JAVA, jdbc, "public", s, start, watched, llm);
    }

    /** A child process's peaks and CPU, sampled while it ran. */
    record Watched(PeakSampler sampler, CpuAccount.Usage cpu) {
    }

    /** Samples the process until it ends (at most {@code bench.timeoutMinutes}, 15) and checks that it exited 0. */
    static Watched watch(Process process, JdbcTemplate jdbc, String applicationName, OpenAiProtocolFixture llm,
            long expectedCalls, Path log, String what) throws Exception {
        CpuAccount cpu = new CpuAccount();
        PeakSampler sampler = new PeakSampler(process.pid(), jdbc, applicationName, llm::requestCount, expectedCalls);
        boolean ended = process.waitFor(Long.getLong("bench.timeoutMinutes", 15), TimeUnit.MINUTES);
        sampler.close();
        CpuAccount.Usage usage = cpu.stop(sampler.cpuSeconds());
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as(what + " run ended within -Dbench.timeoutMinutes; log: " + log).isTrue();
        assertThat(process.exitValue()).as(what + " exit code; log: " + log).isZero();
        return new Watched(sampler, usage);
    }

    /**
     * The run's figures from the tables it logged into ({@code schema}: the application's, or the peer's of the same
     * shape), after checking that every episode completed with exactly one successful LLM call per step.
     */
    static Result result(String runner, JdbcTemplate jdbc, String schema, Settings s, Instant processStart,
            Watched watched, OpenAiProtocolFixture llm) {
        Map<String, Object> episodes = jdbc.queryForMap("""
                SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE status = 'completed') AS completed,
                    MIN(started_at) AS first, MAX(ended_at) AS last,
                    (SELECT MIN(c.started_at + c.latency_ms * INTERVAL '1 millisecond') FROM %1$s.llm_call c) AS answer
                FROM %1$s.episode""".formatted(schema));
        assertThat(((Number) episodes.get("completed")).intValue()).as(runner + ": completed episodes")
            .isEqualTo(s.episodes());
        Long fullEpisodes = jdbc.queryForObject("""
                SELECT COUNT(*) FROM (SELECT conversation_id FROM %s.llm_call WHERE error IS NULL
                    GROUP BY conversation_id HAVING COUNT(*) = ?) full_episodes""".formatted(schema), Long.class,
                s.steps());
        assertThat(fullEpisodes).as(runner + ": episodes with exactly one LLM call per step").isEqualTo(s.episodes());
        long calls = jdbc.queryForObject("SELECT COUNT(*) FROM %s.llm_call WHERE error IS NULL".formatted(schema),
                Long.class);
        assertThat(calls).as(runner + ": one call per step").isEqualTo((long) s.episodes() * s.steps());
        long messages = jdbc.queryForObject("SELECT COUNT(*) FROM %s.message".formatted(schema), Long.class);
        double wall = seconds(episodes.get("first"), episodes.get("last"));
        double warmup = seconds(episodes.get("first"), episodes.get("answer"));
        double fromStart = Duration.between(processStart, ((Timestamp) episodes.get("last")).toInstant()).toNanos()
                / 1e9;
        PeakSampler sampler = watched.sampler();
        return new Result(runner, s, wall, warmup, fromStart, calls, messages, sampler.peakRssMb(),
                sampler.peakOpenConnections(), sampler.peakBusyConnections(), llm.maxConcurrentRequests(),
                watched.cpu(), sampler.steadyCpuMsPerCall());
    }

    private static double seconds(Object from, Object to) {
        return Duration.between(((Timestamp) from).toInstant(), ((Timestamp) to).toInstant()).toNanos() / 1e9;
    }

    /** Looks until the conversation holds {@code steps - 1} answers, then submits. */
    static Reply reply(RecordedRequest request, int steps) {
        return count(request.body(), "\"role\":\"assistant\"") < steps - 1 ? LOOK : SUBMIT;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /**
     * Starts the collect JVM as {@link CollectCommand} decides: through {@code ./rollout-batch} when its fast start
     * is prepared, else from the test class path; the database is given in full either way (no profile).
     */
    private Process start(Settings s, Path list, Path log, String baseUrl) throws java.io.IOException {
        String url = databaseUrl + (databaseUrl.contains("?") ? "&" : "?") + "ApplicationName=" + APPLICATION_NAME;
        CollectCommand collect = CollectCommand.of(s.heap(), System.getProperty("bench.jvmArgs", ""),
                s.environment(), List.of("--rollout.launcher.enabled=true", "--spring.datasource.url=" + url,
                        "--spring.datasource.username=" + databaseUser,
                        "--spring.datasource.password=" + databasePassword,
                "--spring.datasource.hikari.maximum-pool-size=" + s.poolSize(),
                "--rollout.openai.max-concurrency=" + s.concurrency(), "--rollout.collect.progress-interval=2s",
                "problems=" + list, "runDate=2026-01-01", "samples=1", "concurrency=" + s.concurrency(),
                "maxSteps=" + s.steps(), "policy=openai", "environment=" + s.environment(), "model=gpt-4o-mini"));
        startedAs = collect.how();
        System.out.println("collect JVM: " + startedAs);
        ProcessBuilder builder = new ProcessBuilder(collect.command()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        if (collect.javaOptions() != null) {
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("JAVA_OPTS", collect.javaOptions());
            builder.environment().remove("ROLLOUT_FAST_START");
        }
        builder.environment().put("OPENAI_BASE_URL", baseUrl);
        builder.environment().put("OPENAI_API_KEY", "sk-bench-not-a-real-key");
        return builder.start();
    }
}
