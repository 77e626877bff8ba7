package dev.rolloutbatch.collect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.ExitStatus;
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
import dev.rolloutbatch.agent.openai.OpenAiEndpoint;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.RecordedRequest;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A night whose endpoint fails (a revoked key, a server that is not OpenAI-compatible, garbage answers) must not
 * end "completed": the run fails with one line naming the failure class, the circuit breaker stops it after the
 * first failed calls, and once the endpoint is fixed the same job parameters run exactly the episodes that failed
 * for infrastructure reasons (and those never started), not the agent's failures, not the completed ones.
 * <p>
 * The endpoint is the local OpenAI-protocol fixture over real HTTP; the database is PostgreSQL.
 */
@SpringBatchTest
@SpringBootTest(properties = { "rollout.openai.max-attempts=2", "rollout.openai.initial-backoff=10ms",
        "rollout.openai.max-backoff=20ms", "rollout.openai.timeout=5s" })
@ActiveProfiles("pgtest")
class CollectInfrastructureFailureIntegrationTests {

    static final OpenAiProtocolFixture llm = OpenAiProtocolFixture.start();

    static final int MAX_ATTEMPTS = 2;

    static final int BREAKER_CALLS = 5;

    /** Social network and astronomy shop: "Yes" is right; hotel reservation: the fixture's agent answers "No". */
    static final String LIST = """
            problem_id
            k8s_target_port-misconfig-detection-1
            revoke_auth_mongodb-detection-1
            astronomy_shop_ad_service_failure-detection-1
            """;

    static final Status REVOKED_KEY = new Status(401, Map.of(), "{\"error\":{\"message\":\"Incorrect API key"
            + " provided: sk-revo****. You can find your API key at https://platform.openai.com/account/api-keys.\","
            + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");

    @TestConfiguration(proxyBeanMethods = false)
    static class Llm {

        @Bean
        @Primary
        OpenAiEndpoint fixtureEndpoint() {
            return new OpenAiEndpoint(llm.baseUrl(), "sk-revoked-then-rotated", null);
        }
    }

    @AfterAll
    static void stop() {
        llm.close();
    }

    @Autowired
    private JobOperatorTestUtils jobs;

    @Autowired
    @Qualifier("collectJob")
    private Job collectJob;

    @Autowired
    private JdbcTemplate jdbc;

    @TempDir
    Path dir;

    private Path list;

    @BeforeEach
    void clean() throws Exception {
        DatabaseCleaner.clean(jdbc);
        jobs.setJob(collectJob);
        llm.reset();
        list = Files.writeString(dir.resolve("night.csv"), LIST);
    }

    static Stream<Arguments> brokenEndpoints() {
        return Stream.of(
                Arguments.of("a revoked key (401)", REVOKED_KEY, "infrastructure:auth"),
                Arguments.of("a web server's HTML page with 200", new Status(200, Map.of("Content-Type", "text/html"),
                        "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body></body></html>"),
                        "infrastructure:malformed_response"),
                Arguments.of("a server without the Chat Completions path (404)", new Status(404,
                        Map.of("Content-Type", "text/html"), "<html><body><h1>404 Not Found</h1></body></html>"),
                        "infrastructure:malformed_response"),
                Arguments.of("garbage JSON with 200", Reply.status(200, "{\"status\":\"ok\",\"data\":[1,2,3]}"),
                        "infrastructure:malformed_response"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenEndpoints")
    void aBrokenEndpointFailsTheRunEarlyWithOneLineAndTheSameCommandFinishesItOnceFixed(String name, Reply fault,
            String failureClass) throws Exception {
        llm.responder(request -> fault);

        JobExecution broken = jobs.startJob(parameters(4, 4));

        assertThat(broken.getStatus()).isEqualTo(BatchStatus.FAILED);
        ExitStatus report = reportExit(broken);
        assertThat(report.getExitCode()).isEqualTo(ReportTasklet.INFRASTRUCTURE_FAILED);
        String reason = report.getExitDescription();
        assertThat(reason).doesNotContain("\n").contains(failureClass)
            .endsWith("; fix the cause: the same command runs exactly these episodes again");
        assertThat(jdbc.queryForObject("SELECT status FROM run", String.class)).isEqualTo("infrastructure_failed");
        int planned = count("SELECT COUNT(*) FROM episode");
        int failed = count("SELECT COUNT(*) FROM episode WHERE status = 'failed' AND failure_class = ?", failureClass);
        int pending = count("SELECT COUNT(*) FROM episode WHERE status = 'pending'");
        assertThat(planned).isEqualTo(12);
        assertThat(failed).isPositive();
        assertThat(failed + pending).as("nothing else happened to the episodes").isEqualTo(planned);
        assertThat(pending).as("the circuit breaker stopped the run early").isPositive();
        // At most the breaker's calls plus those already in flight, each with its attempts.
        assertThat(llm.requestCount()).isLessThanOrEqualTo((BREAKER_CALLS + 4) * MAX_ATTEMPTS);

        llm.reset().responder(CollectInfrastructureFailureIntegrationTests::workingAgent);
        JobExecution fixed = jobs.startJob(parameters(4, 4));

        assertThat(fixed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixed.getJobInstance().getInstanceId()).isEqualTo(broken.getJobInstance().getInstanceId());
        assertThat(llm.requestCount()).as("one call (the submission) per episode not yet done").isEqualTo(planned);
        long runId = jdbc.queryForObject("SELECT id FROM run", Long.class);
        RunInvariants.assertFinishedExactlyOnce(jdbc, runId);
        assertThat(jdbc.queryForObject("SELECT status FROM run", String.class)).isEqualTo("completed");
        assertThat(count("SELECT COUNT(*) FROM episode WHERE failure_class LIKE 'infrastructure:%'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM episode WHERE failure_class = 'agent:wrong_answer'"))
            .as("the hotel problem's wrong answers are results").isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT report FROM run", String.class))
            .contains("\"failure_classes\":{\"agent:wrong_answer\":4}");
        assertThat(count("SELECT COUNT(*) FROM episode WHERE success")).isEqualTo(8);
        assertThat(count("SELECT COUNT(*) FROM conversation WHERE status = 'failed'"))
            .as("the failed attempts are kept").isEqualTo(failed);
    }

    @Test
    void theRerunRetriesExactlyTheInfrastructureFailuresNotTheAgentsFailuresNorTheCompletedEpisodes()
            throws Exception {
        // The astronomy shop's calls come last (plan order, one at a time): by then the endpoint has answered.
        llm.responder(request -> namespace(request, "astronomy-shop") ? REVOKED_KEY : workingAgent(request));

        JobExecution first = jobs.startJob(parameters(2, 1));

        assertThat(first.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(reportExit(first).getExitDescription())
            .contains("2 episodes failed for infrastructure reasons (infrastructure:auth 2")
            .contains("HTTP 401");
        Map<String, Integer> classes = failureClasses();
        assertThat(classes).containsExactlyInAnyOrderEntriesOf(
                Map.of("infrastructure:auth", 2, "agent:wrong_answer", 2, "none", 2));
        List<Long> infrastructureFailures = jdbc.queryForList(
                "SELECT id FROM episode WHERE failure_class = 'infrastructure:auth' ORDER BY id", Long.class);

        llm.reset().responder(CollectInfrastructureFailureIntegrationTests::workingAgent);
        JobExecution second = jobs.startJob(parameters(2, 1));

        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(llm.requestCount()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT id FROM episode WHERE attempt = 2 ORDER BY id", Long.class))
            .as("exactly the infrastructure failures ran again").isEqualTo(infrastructureFailures);
        assertThat(count("SELECT COUNT(*) FROM episode WHERE attempt = 1")).isEqualTo(4);
        assertThat(failureClasses()).containsExactlyInAnyOrderEntriesOf(Map.of("agent:wrong_answer", 2, "none", 4));
        RunInvariants.assertFinishedExactlyOnce(jdbc, jdbc.queryForObject("SELECT id FROM run", Long.class));
    }

    /** Answers at once: "Yes" (right for every problem of the list but the hotel's, where "No" is wrong). */
    static Reply workingAgent(RecordedRequest request) {
        String answer = namespace(request, "test-hotel-reservation") ? "No" : "Yes";
        return Reply.content("```\nsubmit(\"" + answer + "\")\n```").withUsage(1000, 0, 100, 0);
    }

    private static boolean namespace(RecordedRequest request, String namespace) {
        return request.body().contains(namespace);
    }

    private JobParameters parameters(int samples, int concurrency) {
        return new JobParametersBuilder().addString("problems", list.toString())
            .addLocalDate("runDate", LocalDate.of(2026, 11, 23))
            .addString("samples", Integer.toString(samples), false)
            .addString("concurrency", Integer.toString(concurrency), false)
            .addString("policy", "openai", false)
            .addString("model", "gpt-4o", false)
            .toJobParameters();
    }

    private Map<String, Integer> failureClasses() {
        return jdbc.query("SELECT COALESCE(failure_class, 'none') AS c, COUNT(*) AS n FROM episode GROUP BY 1",
                rs -> {
                    Map<String, Integer> counts = new java.util.TreeMap<>();
                    while (rs.next()) {
                        counts.put(rs.getString("c"), rs.getInt("n"));
                    }
                    return counts;
                });
    }

    /** (Not a method returning a StepExecution: {@code @SpringBatchTest} would take it for a step-scope factory.) */
    private static ExitStatus reportExit(JobExecution execution) {
        return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals("report")).findFirst()
            .orElseThrow(() -> new AssertionError("no report step in " + execution.getStepExecutions()))
            .getExitStatus();
    }

    private int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }
}
