package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.RecordedRequest;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Money as an operator meets it: collect JVMs of their own, killed with SIGKILL, against the local OpenAI-protocol
 * fixture (real HTTP) and PostgreSQL. Every call is priced by the shipped table (gpt-4o: 1,000 prompt + 100
 * completion tokens = $0.0035), and what the fixture served is the truth the database is held to.
 */
@SpringBootTest
@ActiveProfiles("pgtest")
class CollectMoneyIntegrationTests {

    static final BigDecimal PER_CALL = new BigDecimal("0.0035");

    static final int CONCURRENCY = 4;

    static final OpenAiProtocolFixture llm = OpenAiProtocolFixture.start();

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private Environment environment;

    @TempDir
    Path logs;

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
        llm.reset().latency(Duration.ofMillis(150)).responder(CollectMoneyIntegrationTests::threeLooksThenSubmit);
    }

    @AfterAll
    static void stop() {
        llm.close();
    }

    @Test
    void twoSigkillsWithABudgetSpendNoMoreThanTheBudgetPlusTheCallsInFlight() throws Exception {
        BigDecimal budget = new BigDecimal("0.25");
        String[] night = { "problems=jobs/nightly.csv", "runDate=2026-11-19", "samples=1",
                "concurrency=" + CONCURRENCY, "policy=openai", "model=gpt-4o", "budgetUsd=" + budget };
        Map<String, String> endpoint = Map.of("OPENAI_BASE_URL", llm.baseUrl());
        Path log = logs.resolve("collect.log");

        for (BigDecimal killAt : List.of(new BigDecimal("0.06"), new BigDecimal("0.14"))) {
            Process process = CollectProcess.start(environment, log, endpoint, night);
            waitUntilSpent(process, killAt, log);
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        }
        Path lastLog = logs.resolve("last.log");
        Process last = CollectProcess.start(environment, lastLog, endpoint, night);
        assertThat(last.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(last.exitValue()).as(CollectProcess.tail(lastLog)).isEqualTo(1);

        BigDecimal served = PER_CALL.multiply(BigDecimal.valueOf(llm.servedUsage().size()));
        BigDecimal recorded = jdbc.queryForObject("SELECT SUM(cost_usd) FROM llm_call", BigDecimal.class);
        BigDecimal oneRoundOfCalls = PER_CALL.multiply(BigDecimal.valueOf(CONCURRENCY));
        // Each of the three processes may have had a full round of calls in flight when it was killed or stopped.
        assertThat(served).as("spent in all").isLessThanOrEqualTo(budget.add(oneRoundOfCalls.multiply(BigDecimal.valueOf(3))));
        assertThat(served).as("the budget was reached").isGreaterThanOrEqualTo(budget);
        assertThat(recorded).as("recorded: all but the calls in flight at the two kills")
            .isLessThanOrEqualTo(served)
            .isGreaterThanOrEqualTo(served.subtract(oneRoundOfCalls.multiply(BigDecimal.valueOf(2))));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM llm_call WHERE cost_usd IS NULL", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("""
                SELECT COUNT(*) FROM llm_call l JOIN conversation c ON c.id = l.conversation_id
                WHERE c.status = 'aborted'""", Integer.class)).as("the killed attempts' calls are kept").isPositive();
        assertThat(jdbc.queryForObject("""
                SELECT COUNT(*) FROM conversation c WHERE c.status = 'aborted' AND (c.cost_usd IS NULL
                    OR c.cost_usd <> (SELECT COALESCE(SUM(l.cost_usd), 0) FROM llm_call l WHERE l.conversation_id = c.id))""",
                Integer.class)).as("aborted conversations total their calls' cost").isZero();
        assertThat(jdbc.queryForObject("SELECT status FROM run", String.class)).isEqualTo("budget_exhausted");
        assertThat(jdbc.queryForObject("SELECT cost_usd FROM run", BigDecimal.class))
            .as("the run's spend is every call's, aborted attempts included").isEqualByComparingTo(recorded);
        String lastRun = Files.readString(lastLog);
        assertThat(lastRun).contains("USD already spent by earlier attempts (budget 0.25 USD)")
            .contains("budget exhausted")
            .containsPattern("progress: .* cost 0\\.[0-9]+ USD")
            .doesNotContain("cost unknown");
        RunInvariants.assertConsistent(jdbc, jdbc.queryForObject("SELECT id FROM run", Long.class));
    }

    @Test
    void aMissingKeyIsRefusedWithOneLineAndTheSameCommandRunsOnceItIsSetAndNoCredentialIsLoggedOrStored()
            throws Exception {
        Path list = Files.writeString(logs.resolve("two.csv"),
                "problem_id\nk8s_target_port-misconfig-detection-1\nrevoke_auth_mongodb-detection-1\n");
        // A gateway that takes credentials in its URL: they must never show.
        String base = llm.baseUrl().replace("http://", "http://gateway-user:url-s3cret@") + "?api-version=q-s3cret";
        String[] night = { "problems=" + list, "runDate=2026-11-18", "policy=openai", "model=gpt-4o",
                "--rollout.openai.require-key=true" };
        Path log = logs.resolve("collect.log");

        Process missing = CollectProcess.start(environment, log, Map.of("OPENAI_BASE_URL", base), night);
        assertThat(missing.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(missing.exitValue()).as(CollectProcess.tail(log)).isEqualTo(2);
        assertThat(Files.readString(log)).contains("OPENAI_API_KEY is not set and the endpoint http://[REDACTED]@");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM run", Integer.class)).isZero();
        assertThat(llm.requestCount()).isZero();

        Process fixed = CollectProcess.start(environment, log,
                Map.of("OPENAI_BASE_URL", base, "OPENAI_API_KEY", "sk-key-s3cret"), night);
        assertThat(fixed.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(fixed.exitValue()).as(CollectProcess.tail(log)).isZero();
        assertThat(llm.requestCount()).isPositive();
        assertThat(llm.requests().getFirst().header("authorization")).isEqualTo("Bearer sk-key-s3cret");

        assertThat(Files.readString(log)).contains("[REDACTED]").doesNotContain("s3cret");
        for (String column : List.of("run.parameters", "run.problems_source", "episode.parameters", "episode.error",
                "conversation.sampling", "llm_call.error", "message.content")) {
            String[] tableColumn = column.split("\\.");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + tableColumn[0] + " WHERE " + tableColumn[1]
                    + " LIKE '%s3cret%'", Integer.class)).as(column).isZero();
        }
    }

    @Test
    void aKeyAndAnEndpointInTheShellDoNotMakeARunThatNamesNoPolicyCallThem() throws Exception {
        Path list = Files.writeString(logs.resolve("one.csv"), "problem_id\nk8s_target_port-misconfig-detection-1\n");
        Path log = logs.resolve("collect.log");

        Process quickStart = CollectProcess.start(environment, log,
                Map.of("OPENAI_API_KEY", "sk-paid-account", "OPENAI_BASE_URL", llm.baseUrl()),
                "problems=" + list, "runDate=2026-11-17");
        assertThat(quickStart.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(quickStart.exitValue()).as(CollectProcess.tail(log)).isZero();

        assertThat(llm.requestCount()).as("no request reached the paid endpoint").isZero();
        assertThat(jdbc.queryForObject("SELECT policy FROM run", String.class)).isEqualTo("scripted");
        assertThat(jdbc.queryForObject("SELECT model FROM conversation", String.class)).isEqualTo("scripted-baseline");
    }

    /** Every episode: three looks, then the answer (four calls). */
    static Reply threeLooksThenSubmit(RecordedRequest request) {
        int answered = 0;
        for (var message : request.json().path("messages")) {
            if ("assistant".equals(message.path("role").asString())) {
                answered++;
            }
        }
        String content = answered < 3 ? "```\nexec_shell(\"kubectl get pods -A\")\n```" : "```\nsubmit(\"Yes\")\n```";
        return Reply.content(content).withUsage(1000, 0, 100, 0);
    }

    private void waitUntilSpent(Process process, BigDecimal amount, Path log) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as(CollectProcess.tail(log)).isTrue();
            BigDecimal spent = jdbc.queryForObject("SELECT COALESCE(SUM(cost_usd), 0) FROM llm_call", BigDecimal.class);
            if (spent.compareTo(amount) >= 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("spent less than " + amount + " in 3 minutes:\n" + CollectProcess.tail(log));
    }
}
