package dev.rolloutbatch.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.conversation.PriceTable;

/**
 * The same run by the benchmark's Python peer ({@code python/benchmark/collect_peer.py}: the official {@code openai}
 * SDK's {@code AsyncOpenAI} and asyncpg), right after the Java run, against the same fixture and database. It replays
 * the conversations the Java run just logged (opening messages and the environment's replies, per problem), so both
 * send the same bytes, and logs into the schema {@code peer}.
 */
final class PeerRun {

    static final String RUNNER = "Python peer";

    static final String APPLICATION_NAME = "rollout-bench-peer";

    private static final Path SCRIPT = Path.of("python", "benchmark", "collect_peer.py");

    private static final String MODEL = "gpt-4o-mini";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final String dsn;
    private final String password;
    private final Path workDir;
    private final String python;

    /**
     * @param databaseUrl the benchmark's JDBC URL ({@code jdbc:postgresql://host:port/db?...})
     * @param python      the Python interpreter with the peer's packages
     */
    PeerRun(JdbcTemplate jdbc, String databaseUrl, String user, String password, Path workDir, String python) {
        this.jdbc = jdbc;
        this.dsn = "postgresql://" + user + "@" + databaseUrl.replaceFirst("^jdbc:postgresql://", "")
            .replaceFirst("\\?.*$", "");
        this.password = password;
        this.workDir = workDir;
        this.python = python;
    }

    /** Fails at once, in one line, when the interpreter or the peer's packages are missing. */
    void checkInstalled() throws Exception {
        Process check;
        try {
            check = new ProcessBuilder(python, "-c", "import openai, asyncpg, httpx2").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }
        catch (java.io.IOException ex) {
            throw new AssertionError(missing());
        }
        if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
            throw new AssertionError(missing());
        }
    }

    private String missing() {
        return "the Python peer needs " + python + " with openai and asyncpg: pip install -r "
                + "python/benchmark/requirements.txt (or skip the peer with -Dbench.peer=false)";
    }

    /** Runs the peer with the Java run's settings, right after it: the Java run's conversations are still there. */
    CollectRun.Result measure(CollectRun.Settings s, OpenAiProtocolFixture llm) throws Exception {
        String name = s.concurrency() + "-" + s.latency().toMillis() + "ms";
        Path script = Files.writeString(workDir.resolve("peer-" + name + ".json"), script());
        Path log = workDir.resolve("peer-" + name + ".log");
        CollectRun.configure(llm, s);
        Instant start = Instant.now();
        ProcessBuilder builder = new ProcessBuilder(python, SCRIPT.toString(), "--base-url", llm.baseUrl(), "--dsn",
                dsn, "--script", script.toString(), "--episodes", Integer.toString(s.episodes()), "--concurrency",
                Integer.toString(s.concurrency()), "--steps", Integer.toString(s.steps()), "--pool",
                Integer.toString(s.poolSize()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        if (password != null && !password.isEmpty()) {
            builder.environment().put("PGPASSWORD", password);
        }
        CollectRun.Watched watched = CollectRun.watch(builder.start(), jdbc, APPLICATION_NAME, llm,
                (long) s.episodes() * s.steps(), log, "peer");
        return CollectRun.result(RUNNER, jdbc, "peer", s, start, watched, llm);
    }

    /**
     * Per problem, one conversation of the Java run: the messages before the first answer, and the messages the
     * environment added after each answer. Plus the model and its price from the shipped price table.
     */
    private String script() {
        Map<String, ObjectNode> problems = new LinkedHashMap<>();
        Map<String, ArrayNode> replies = new LinkedHashMap<>();
        jdbc.query("""
                SELECT e.problem_id, e.seed, m.role, m.content
                FROM (SELECT DISTINCT ON (e.problem_id) e.problem_id, e.seed, c.id AS conversation
                      FROM episode e JOIN conversation c ON c.episode_id = e.id
                      ORDER BY e.problem_id, e.sample_index) e
                JOIN message m ON m.conversation_id = e.conversation
                ORDER BY e.problem_id, m.seq""", row -> {
            String id = row.getString("problem_id");
            ObjectNode problem = problems.computeIfAbsent(id, key -> {
                ObjectNode node = JSON.createObjectNode().put("problem_id", key);
                node.put("seed", readSeed(row));
                node.putArray("opening");
                replies.put(key, node.putArray("replies"));
                return node;
            });
            ObjectNode message = JSON.createObjectNode().put("role", row.getString("role"))
                .put("content", row.getString("content"));
            ArrayNode afterAnswers = replies.get(id);
            if ("assistant".equals(message.get("role").asString())) {
                afterAnswers.addArray();
            }
            else if (afterAnswers.isEmpty()) {
                ((ArrayNode) problem.get("opening")).add(message);
            }
            else {
                ((ArrayNode) afterAnswers.get(afterAnswers.size() - 1)).add(message);
            }
        });
        PriceTable.Price price = new PriceTable().lookup(MODEL).orElseThrow();
        ObjectNode root = JSON.createObjectNode().put("model", MODEL);
        root.putObject("price").put("input_uncached", price.inputUncached().toPlainString())
            .put("cache_read", price.cacheRead().toPlainString()).put("output", price.output().toPlainString());
        root.putArray("problems").addAll(new ArrayList<>(problems.values()));
        return JSON.writeValueAsString(root);
    }

    private static long readSeed(java.sql.ResultSet row) {
        try {
            return row.getLong("seed");
        }
        catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
