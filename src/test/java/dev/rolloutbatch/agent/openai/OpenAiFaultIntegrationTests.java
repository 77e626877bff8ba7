package dev.rolloutbatch.agent.openai;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.RecordedRequest;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.ServedUsage;
import dev.rolloutbatch.collect.RunInvariants;
import dev.rolloutbatch.environment.FixedTestEnvironment;

import static dev.rolloutbatch.agent.openai.OpenAiTestSupport.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A collect run with {@code policy=openai} against an endpoint that fails one call in five the ways real providers
 * fail: 429 with {@code Retry-After} (seconds or {@code retry-after-ms}), 500, 503, a reply slower than the client's
 * timeout, a connection dropped before the status line, a body cut short, and malformed JSON. The run must finish
 * with every invariant kept, every HTTP attempt accounted for, and token and cost totals equal to what the endpoint
 * served.
 */
@SpringBatchTest
@SpringBootTest(properties = { "rollout.openai.max-attempts=6", "rollout.openai.initial-backoff=10ms",
        "rollout.openai.max-backoff=100ms", "rollout.openai.timeout=1s" })
@ActiveProfiles("pgtest")
class OpenAiFaultIntegrationTests {

    static final OpenAiProtocolFixture llm = OpenAiProtocolFixture.start();

    private static final int EPISODES = 36;

    /** Steps per episode: two get_logs, then the submission. */
    private static final int STEPS = 3;

    private static final String LOOK = "Checking.\n```\nget_logs(\"test-social-network\", \"user-service\")\n```";

    private static final String SUBMIT = "```\nsubmit(\"Yes\")\n```";

    @TestConfiguration
    static class Config {

        @Bean
        @Primary
        OpenAiEndpoint fixtureEndpoint() {
            return new OpenAiEndpoint(llm.baseUrl(), KEY, null);
        }

        @Bean
        FixedTestEnvironment fixedTestEnvironment() {
            return new FixedTestEnvironment();
        }
    }

    @Autowired
    JobOperatorTestUtils jobs;

    @Autowired
    @Qualifier("collectJob")
    Job collectJob;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path dir;

    @AfterAll
    static void stopFixture() {
        llm.close();
    }

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
        llm.reset();
        jobs.setJob(collectJob);
    }

    @Test
    void oneCallInFiveFailsAndTheRunStillLogsEveryEpisodeOnceWithTheTokensAndCostServed() throws Exception {
        FaultyEndpoint endpoint = new FaultyEndpoint();
        llm.responder(endpoint::reply);
        Path problems = Files.writeString(dir.resolve("problems.csv"),
                "problem_id,samples\n" + OpenAiTestSupport.PROBLEM.id() + "," + EPISODES + "\n");

        JobExecution execution = jobs.startJob(new JobParametersBuilder().addString("problems", problems.toString())
            .addLocalDate("runDate", LocalDate.of(2026, 11, 20))
            .addString("policy", "openai", false)
            .addString("environment", FixedTestEnvironment.NAME, false)
            .addString("model", "gpt-4o", false)
            .addString("concurrency", "8", false)
            .addString("maxSteps", "6", false)
            .toJobParameters());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        long runId = jdbc.queryForObject("SELECT id FROM run", Long.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE run_id = ?", Integer.class, runId))
            .isEqualTo(EPISODES);
        RunInvariants.assertFinishedExactlyOnce(jdbc, runId);

        // Faults really happened, about one request in five, of every kind.
        int requests = llm.requestCount();
        assertThat(endpoint.faults.get()).isEqualTo(requests / 5);
        assertThat(endpoint.byKind.keySet()).containsExactlyInAnyOrderElementsOf(FaultyEndpoint.KINDS.keySet());
        // Retries rode them out: episodes end as graded results, each with one call per step.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM episode WHERE status = 'completed' AND success",
                Integer.class)).isGreaterThanOrEqualTo(EPISODES - 1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM llm_call WHERE attempts > 1", Integer.class))
            .isPositive();
        // Every HTTP attempt the endpoint saw is counted in exactly one llm_call row.
        assertThat(jdbc.queryForObject("SELECT SUM(attempts) FROM llm_call", Long.class)).isEqualTo(requests);

        ServedUsage served = llm.totalServedUsage();
        Map<String, Object> sums = jdbc.queryForMap("""
                SELECT COUNT(*) FILTER (WHERE error IS NULL) AS ok, SUM(input_uncached_tokens) AS uncached,
                    SUM(cache_read_tokens) AS cached, SUM(cache_write_tokens) AS written, SUM(output_tokens) AS output,
                    SUM(reasoning_tokens) AS reasoning, SUM(cost_usd) AS cost, BOOL_OR(usage_estimated) AS estimated
                FROM llm_call""");
        assertThat(((Number) sums.get("ok")).longValue()).isEqualTo(served.completions());
        assertThat(((Number) sums.get("uncached")).longValue()).isEqualTo(served.uncachedInput());
        assertThat(((Number) sums.get("cached")).longValue()).isEqualTo(served.cachedTokens());
        assertThat(((Number) sums.get("written")).longValue()).isZero();
        assertThat(((Number) sums.get("output")).longValue()).isEqualTo(served.completionTokens());
        assertThat(((Number) sums.get("reasoning")).longValue()).isEqualTo(served.reasoningTokens());
        assertThat(sums).containsEntry("estimated", false);

        BigDecimal expectedCost = gpt4oCost(llm.servedUsage());
        assertThat((BigDecimal) sums.get("cost")).isEqualByComparingTo(expectedCost);
        Map<String, Object> run = jdbc.queryForMap("SELECT input_tokens, output_tokens, cost_usd FROM run");
        assertThat((BigDecimal) run.get("cost_usd")).isEqualByComparingTo(expectedCost);
        assertThat(((Number) run.get("input_tokens")).longValue()).isEqualTo(served.promptTokens());
        assertThat(((Number) run.get("output_tokens")).longValue()).isEqualTo(served.completionTokens());
    }

    /** gpt-4o in the shipped price table: 2.50 uncached, 1.25 cached, 10.00 output, per million tokens. */
    private static BigDecimal gpt4oCost(List<ServedUsage> usages) {
        BigDecimal total = BigDecimal.ZERO;
        for (ServedUsage u : usages) {
            total = total.add(new BigDecimal("2.50").multiply(BigDecimal.valueOf(u.uncachedInput())))
                .add(new BigDecimal("1.25").multiply(BigDecimal.valueOf(u.cachedTokens())))
                .add(new BigDecimal("10.00").multiply(BigDecimal.valueOf(u.completionTokens())));
        }
        return total.movePointLeft(6);
    }

    /**
     * Every fifth request gets the next fault in turn; the others a completion that depends on how far the
     * conversation is (so each episode takes {@value #STEPS} steps whoever else is calling), with usage that varies
     * from call to call.
     */
    static final class FaultyEndpoint {

        static final Map<String, Reply> KINDS = Map.of(
                "429 Retry-After", Reply.rateLimited(Duration.ofSeconds(1)),
                "429 retry-after-ms", Reply.rateLimitedMs(30),
                "500", Reply.serverError(),
                "503", Reply.unavailable(),
                "timeout", Reply.slow(Duration.ofMillis(1_500), Reply.serverError()),
                "reset", Reply.drop(),
                "truncated", Reply.truncated(),
                "malformed", Reply.malformed());

        private static final List<String> ORDER = KINDS.keySet().stream().sorted().toList();

        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger faults = new AtomicInteger();
        final Map<String, AtomicInteger> byKind = new ConcurrentHashMap<>();

        Reply reply(RecordedRequest request) {
            int n = requests.incrementAndGet();
            if (n % 5 == 0) {
                String kind = ORDER.get(faults.getAndIncrement() % ORDER.size());
                byKind.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                return KINDS.get(kind);
            }
            long answered = 0;
            for (var message : request.json().path("messages")) {
                if ("assistant".equals(message.path("role").asString())) {
                    answered++;
                }
            }
            long prompt = 200 + 37L * (n % 11) + 150 * answered;
            long cached = answered == 0 ? 0 : 64 * answered;
            return Reply.content(answered < STEPS - 1 ? LOOK : SUBMIT)
                .withUsage(prompt, cached, 20 + n % 7, n % 3);
        }
    }
}
