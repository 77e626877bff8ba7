package dev.rolloutbatch.agent.openai;

import dev.rolloutbatch.environment.FixedTestEnvironment;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.AgentSettingsJson;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;
import dev.rolloutbatch.conversation.Usage;
import dev.rolloutbatch.episode.Episode;
import dev.rolloutbatch.episode.EpisodeRepository;
import dev.rolloutbatch.episode.EpisodeResult;
import dev.rolloutbatch.episode.EpisodeRunner;
import dev.rolloutbatch.episode.EpisodeStatus;

import static dev.rolloutbatch.agent.openai.OpenAiTestSupport.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/** Real episodes of the openai policy through {@link EpisodeRunner}, logged into PostgreSQL. */
@SpringBootTest(properties = { "rollout.openai.max-attempts=3", "rollout.openai.initial-backoff=10ms",
        "rollout.openai.max-backoff=50ms", "rollout.openai.timeout=5s" })
@ActiveProfiles("pgtest")
@ExtendWith(OutputCaptureExtension.class)
class OpenAiEpisodeIntegrationTests {

    static final OpenAiProtocolFixture llm = OpenAiProtocolFixture.start();

    @TestConfiguration
    static class Config {

        @Bean
        @Primary
        OpenAiEndpoint fixtureEndpoint() {
            return new OpenAiEndpoint(llm.baseUrl(), KEY, "org-test");
        }

        @Bean
        FixedTestEnvironment fixedTestEnvironment() {
            return new FixedTestEnvironment();
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EpisodeRunner runner;

    @Autowired
    EpisodeRepository episodes;

    @AfterAll
    static void stopFixture() {
        llm.close();
    }

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
        llm.reset();
    }

    private Episode claim(AgentSettings settings) {
        Long id = jdbc.queryForObject("""
                INSERT INTO episode (source, problem_id, task_type, application, sample_index, group_id, seed, status,
                    policy, environment, model, max_steps, timeout_seconds, parameters, created_at)
                VALUES ('test', ?, 'detection', 'SocialNetwork', 0, 'g-1', 7, 'pending', 'openai', ?, ?, 10, 300, ?,
                    now()) RETURNING id""", Long.class, OpenAiTestSupport.PROBLEM.id(), FixedTestEnvironment.NAME,
                settings.model(), AgentSettingsJson.write(settings));
        return episodes.claim(id, "test-worker").orElseThrow();
    }

    @Test
    void aTextEpisodeCompletesWithTokensAndCostAsServed(CapturedOutput output) {
        llm.enqueue(Reply.content("Let me look at the logs.\n```\nget_logs(\"test-social-network\", \"user-service\")\n```")
            .withUsage(1000, 400, 50, 10), Reply.rateLimited(java.time.Duration.ofSeconds(1)),
                Reply.content("```\nsubmit(\"Yes\")\n```").withUsage(1200, 1000, 20, 0));
        AgentSettings settings = new AgentSettings("gpt-4o-2024-08-06", Protocol.TEXT, 0.2, null, 256, 7L, List.of(),
                true);

        EpisodeResult result = runner.run(claim(settings), () -> false);

        assertThat(result.status()).isEqualTo(EpisodeStatus.COMPLETED);
        assertThat(result.success()).isTrue();
        Map<String, Object> episode = jdbc.queryForMap("SELECT status, success, reward, steps_taken, solution FROM episode");
        assertThat(episode).containsEntry("status", "completed").containsEntry("success", true)
            .containsEntry("solution", "submit(\"Yes\")");

        OpenAiProtocolFixture.ServedUsage served = llm.totalServedUsage();
        Map<String, Object> sums = jdbc.queryForMap("""
                SELECT COUNT(*) AS calls, SUM(input_uncached_tokens) AS uncached, SUM(cache_read_tokens) AS cached,
                    SUM(output_tokens) AS output, SUM(reasoning_tokens) AS reasoning, SUM(attempts) AS attempts,
                    SUM(cost_usd) AS cost, MIN(price_version) AS version, BOOL_OR(usage_estimated) AS estimated,
                    COUNT(token_ids) AS with_ids, COUNT(logprobs) AS with_logprobs, COUNT(request_id) AS with_ids2
                FROM llm_call""");
        assertThat(((Number) sums.get("calls")).longValue()).isEqualTo(served.completions()).isEqualTo(2);
        assertThat(((Number) sums.get("uncached")).longValue()).isEqualTo(served.uncachedInput()).isEqualTo(800);
        assertThat(((Number) sums.get("cached")).longValue()).isEqualTo(served.cachedTokens());
        assertThat(((Number) sums.get("output")).longValue()).isEqualTo(served.completionTokens());
        assertThat(((Number) sums.get("reasoning")).longValue()).isEqualTo(served.reasoningTokens());
        assertThat(((Number) sums.get("attempts")).longValue()).isEqualTo(3);
        assertThat(sums).containsEntry("estimated", false).containsEntry("version", "2026-11-01");
        assertThat(((Number) sums.get("with_ids")).longValue()).isEqualTo(2);
        assertThat(((Number) sums.get("with_logprobs")).longValue()).isEqualTo(2);
        // gpt-4o: 800 uncached x 2.50 + 1400 cached x 1.25 + 70 output x 10.00, per million tokens
        BigDecimal expected = new BigDecimal("0.00445");
        assertThat((BigDecimal) sums.get("cost")).isEqualByComparingTo(expected);
        assertThat(result.costUsd()).isEqualByComparingTo(expected);
        assertThat(jdbc.queryForObject("SELECT cost_usd FROM conversation", BigDecimal.class))
            .isEqualByComparingTo(expected);
        assertThat(jdbc.queryForObject("SELECT model_reported FROM llm_call WHERE seq = 0", String.class))
            .isEqualTo("gpt-4o-2024-08-06-fixture");
        assertThat(new Usage(800, 1400, 0, 70, 10, false).total()).isEqualTo(served.promptTokens()
                + served.completionTokens());

        assertKeyNowhere(output);
    }

    @Test
    void aToolsEpisodeThatLosesTheEndpointFailsWithTheReason(CapturedOutput output) {
        llm.enqueue(Reply.toolCall("call_a1", "get_logs",
                "{\"namespace\":\"test-social-network\",\"service\":\"user-service\"}"));
        llm.fallback(Reply.status(503, "{\"error\":{\"message\":\"overloaded, key " + KEY + "\"}}"));
        AgentSettings settings = new AgentSettings("gpt-4.1-mini", Protocol.TOOLS, null, null, null, null, List.of(),
                false);

        EpisodeResult result = runner.run(claim(settings), () -> false);

        assertThat(result.status()).isEqualTo(EpisodeStatus.FAILED);
        assertThat(result.error()).contains("HTTP 503").contains("3 attempts").doesNotContain(KEY);
        assertThat(llm.requestCount()).isEqualTo(1 + 3);
        assertThat(jdbc.queryForObject("SELECT error FROM episode", String.class)).isEqualTo(result.error());
        List<Map<String, Object>> calls = jdbc.queryForList("SELECT attempts, error, cost_usd FROM llm_call ORDER BY seq");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).containsEntry("attempts", 1).containsEntry("error", null);
        assertThat(calls.get(1)).containsEntry("attempts", 3).containsEntry("error", result.error());
        assertThat((BigDecimal) calls.get(1).get("cost_usd")).isEqualByComparingTo("0");
        Map<String, Object> tool = jdbc.queryForMap("SELECT content, tool_call_id FROM message WHERE role = 'tool'");
        assertThat(tool).containsEntry("tool_call_id", "call_a1").containsEntry("content", FixedTestEnvironment.OBSERVATION);
        assertThat(jdbc.queryForObject("SELECT tool_calls FROM message WHERE role = 'assistant'", String.class))
            .contains("\"id\":\"call_a1\"").contains("get_logs");
        assertThat(jdbc.queryForObject("SELECT tools FROM conversation", String.class)).contains("\"submit\"");

        assertKeyNowhere(output);
    }

    /** Every text column of every table, and everything logged, is free of the API key. */
    private void assertKeyNowhere(CapturedOutput output) {
        List<Map<String, Object>> columns = jdbc.queryForList("""
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character')""");
        assertThat(columns).hasSizeGreaterThan(20);
        List<String> leaks = new ArrayList<>();
        int scanned = 0;
        for (Map<String, Object> column : columns) {
            String sql = "SELECT COUNT(*) FROM " + column.get("table_name") + " WHERE " + column.get("column_name")
                    + " LIKE ?";
            scanned++;
            if (jdbc.queryForObject(sql, Long.class, "%" + KEY + "%") > 0) {
                leaks.add(column.get("table_name") + "." + column.get("column_name"));
            }
        }
        assertThat(scanned).isEqualTo(columns.size());
        assertThat(leaks).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message", Long.class)).isPositive();
        assertThat(output.getAll()).doesNotContain(KEY).contains("retrying");
    }
}
