package dev.rolloutbatch.episode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.AgentSettingsJson;
import dev.rolloutbatch.agent.AgentTurn;
import dev.rolloutbatch.agent.Policy;
import dev.rolloutbatch.agent.PolicyException;
import dev.rolloutbatch.agent.PolicyRequest;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.agent.ToolProtocol;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.LlmCallRecord;
import dev.rolloutbatch.conversation.ToolCall;
import dev.rolloutbatch.conversation.Usage;
import dev.rolloutbatch.environment.AgentEnvironment;
import dev.rolloutbatch.environment.FixedTestEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The episode loop on real PostgreSQL with two test doubles that say what they are: the fixed-test environment
 * and a policy that replays canned turns (with usage as a server would report it).
 */
@SpringBootTest
@ActiveProfiles("pgtest")
@Import(EpisodeRunnerIntegrationTests.Doubles.class)
class EpisodeRunnerIntegrationTests {

    private static final String PROBLEM = "k8s_target_port-misconfig-detection-1";

    @Autowired
    private EpisodeRunner runner;

    @Autowired
    private EpisodeRepository episodes;

    @Autowired
    private JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(jdbc);
        CannedTestPolicy.turns.clear();
    }

    @Test
    void textProtocolTurnsAreLoggedInOrderWithUsageAndCostAndAMalformedAnswerCostsAStep() {
        CannedTestPolicy.turns.addAll(List.of(ChatMessage.assistant("Let me look.\n```\nget_logs(\"ns\", \"svc\")\n```"),
                ChatMessage.assistant("I think it is broken."), ChatMessage.assistant("```\nsubmit(\"Yes\")\n```")));
        EpisodeResult result = runner.run(claim(plan(Protocol.TEXT)), () -> false);

        assertThat(result.status()).isEqualTo(EpisodeStatus.COMPLETED);
        assertThat(result.success()).isTrue();
        assertThat(result.steps()).isEqualTo(3);
        List<Map<String, Object>> messages = jdbc.queryForList(
                "SELECT seq, role, content, step FROM message ORDER BY seq");
        assertThat(messages).extracting(m -> m.get("role"))
            .containsExactly("system", "user", "assistant", "user", "assistant", "user", "assistant", "user");
        assertThat(messages).extracting(m -> ((Number) m.get("seq")).intValue())
            .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        // AIOpsLab frames every observation with its request for the next action (orchestrator.py start_problem)
        assertThat((String) messages.get(3).get("content"))
            .isEqualTo(FixedTestEnvironment.OBSERVATION + "\n" + dev.rolloutbatch.agent.TextProtocol.NEXT_ACTION);
        assertThat((String) messages.get(5).get("content")).startsWith("Error: your answer could not be read")
            .endsWith(dev.rolloutbatch.agent.TextProtocol.NEXT_ACTION);
        assertThat(messages).extracting(m -> ((Number) m.get("step")).intValue())
            .containsExactly(0, 0, 1, 1, 2, 2, 3, 3);

        Map<String, Object> conversation = jdbc.queryForMap("SELECT * FROM conversation");
        assertThat(conversation.get("status")).isEqualTo("completed");
        assertThat(((Number) conversation.get("total_messages")).intValue()).isEqualTo(8);
        assertThat(((Number) conversation.get("llm_calls")).intValue()).isEqualTo(3);
        assertThat(((Number) conversation.get("input_uncached_tokens")).longValue()).isEqualTo(3 * 80);
        assertThat(((Number) conversation.get("cache_read_tokens")).longValue()).isEqualTo(3 * 20);
        assertThat(((Number) conversation.get("output_tokens")).longValue()).isEqualTo(3 * 15);
        assertThat(((Number) conversation.get("reasoning_tokens")).longValue()).isEqualTo(3 * 5);
        // gpt-4o: 2.50 input, 1.25 cached, 10.00 output per million tokens.
        BigDecimal expected = new BigDecimal("0.001125"); // 3 × (80×2.50 + 20×1.25 + 15×10.00) / 1e6
        assertThat((BigDecimal) conversation.get("cost_usd")).isEqualByComparingTo(expected);
        assertThat(result.costUsd()).isEqualByComparingTo(expected);
        Map<String, Object> episode = jdbc.queryForMap("SELECT * FROM episode");
        assertThat(episode.get("status")).isEqualTo("completed");
        assertThat(episode.get("failure_class")).as("a success has no failure class").isNull();
        assertThat(episode.get("solution")).isEqualTo("submit(\"Yes\")");
        // the shared evaluation contract: both gradings, the submission, the steps and the budget
        tools.jackson.databind.JsonNode evaluation = tools.jackson.databind.json.JsonMapper.builder().build()
            .readTree((String) episode.get("evaluation"));
        assertThat(evaluation.at("/aiopslab/success").asBoolean()).isTrue();
        assertThat(evaluation.at("/aiopslab/results/Detection Accuracy").asString()).isEqualTo("Correct");
        assertThat(evaluation.at("/reward/success").asBoolean()).isTrue();
        assertThat(evaluation.at("/reward/value").asDouble()).isEqualTo(1.0);
        assertThat(evaluation.at("/reward/components").isObject()).isTrue();
        assertThat(evaluation.get("submission").asString()).isEqualTo("submit(\"Yes\")");
        assertThat(evaluation.get("steps").asInt()).isEqualTo(3);
        assertThat(evaluation.get("max_steps").asInt()).isEqualTo(4);
    }

    @Test
    void toolCallsAreAnsweredWithToolMessagesAndKeepTheirRawArguments() {
        CannedTestPolicy.turns.addAll(List.of(
                ChatMessage.assistant(null, List.of(new ToolCall("call_1", "get_logs",
                        "{\"namespace\": \"ns\", \"service\": \"svc\"}"))),
                ChatMessage.assistant(null, List.of(new ToolCall("call_2", "submit", "{\"answer\":\"Yes\"}")))));
        EpisodeResult result = runner.run(claim(plan(Protocol.TOOLS)), () -> false);

        assertThat(result.status()).isEqualTo(EpisodeStatus.COMPLETED);
        List<Map<String, Object>> messages = jdbc.queryForList(
                "SELECT role, content, tool_calls, tool_call_id FROM message ORDER BY seq");
        assertThat(messages).extracting(m -> m.get("role"))
            .containsExactly("system", "user", "assistant", "tool", "assistant", "tool");
        assertThat((String) messages.get(2).get("tool_calls"))
            .contains("\"arguments\":\"{\\\"namespace\\\": \\\"ns\\\", \\\"service\\\": \\\"svc\\\"}\"");
        assertThat(messages.get(3).get("tool_call_id")).isEqualTo("call_1");
        assertThat(messages.get(3).get("content")).isEqualTo(FixedTestEnvironment.OBSERVATION);
        assertThat(jdbc.queryForObject("SELECT tools FROM conversation", String.class)).contains("\"get_logs\"");
    }

    @Test
    void aPolicyThatCannotAnswerEndsTheEpisodeFailedWithTheReasonAndTheFailedCallLogged() {
        CannedTestPolicy.turns.add(ChatMessage.assistant("```\nget_logs(\"ns\", \"svc\")\n```"));
        EpisodeResult result = runner.run(claim(plan(Protocol.TEXT)), () -> false);

        assertThat(result.status()).isEqualTo(EpisodeStatus.FAILED);
        assertThat(result.error()).isEqualTo("LLM unavailable: HTTP 503 after 4 attempts");
        assertThat(jdbc.queryForObject("SELECT status FROM conversation", String.class)).isEqualTo("failed");
        assertThat(jdbc.queryForObject("SELECT error FROM episode", String.class))
            .isEqualTo("LLM unavailable: HTTP 503 after 4 attempts");
        assertThat(jdbc.queryForList("SELECT error FROM llm_call ORDER BY seq", String.class))
            .containsExactly(null, "HTTP 503");
        assertThat(result.failureClass()).isEqualTo(FailureClass.INFRASTRUCTURE_SERVER_ERROR);
        assertThat(jdbc.queryForObject("SELECT failure_class FROM episode", String.class))
            .isEqualTo("infrastructure:server_error");
    }

    @Test
    void anAttemptToldToStopReturnsItsEpisodeToPendingAndKeepsItsConversationAndCost() {
        for (int i = 0; i < 3; i++) {
            CannedTestPolicy.turns.add(ChatMessage.assistant("```\nget_logs(\"ns\", \"svc\")\n```"));
        }
        List<BigDecimal> costs = new java.util.concurrent.CopyOnWriteArrayList<>();
        long id = plan(Protocol.TEXT);
        EpisodeResult stopped = runner.run(claim(id), new AttemptControl() {
            @Override
            public String stopReason() {
                return costs.isEmpty() ? null : "the budget is spent";
            }

            @Override
            public void callEnded(BigDecimal costUsd, boolean answered) {
                costs.add(costUsd);
            }
        });

        assertThat(stopped.interrupted()).isTrue();
        assertThat(stopped.error()).isEqualTo("stopped before step 2: the budget is spent");
        assertThat(costs).hasSize(1);
        assertThat(jdbc.queryForMap("SELECT status, failure_class FROM episode WHERE id = ?", id))
            .containsEntry("status", "pending").containsEntry("failure_class", null);
        assertThat(jdbc.queryForObject("SELECT status FROM conversation", String.class)).isEqualTo("aborted");
        assertThat(jdbc.queryForObject("SELECT cost_usd FROM llm_call", BigDecimal.class))
            .as("the call it paid for is kept").isEqualByComparingTo(costs.getFirst());

        runner.run(claim(id), () -> false);
        assertThat(jdbc.queryForObject("SELECT attempt FROM episode WHERE id = ?", Integer.class, id)).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT status FROM conversation ORDER BY attempt", String.class))
            .containsExactly("aborted", "failed");
    }

    @Test
    void anAttemptStopsWhenCancelledOrOutOfSteps() {
        for (int i = 0; i < 10; i++) {
            CannedTestPolicy.turns.add(ChatMessage.assistant("```\nget_logs(\"ns\", \"svc\")\n```"));
        }
        AtomicInteger asked = new AtomicInteger();
        EpisodeResult cancelled = runner.run(claim(plan(Protocol.TEXT)), () -> asked.incrementAndGet() > 2);
        assertThat(cancelled.status()).isEqualTo(EpisodeStatus.CANCELLED);
        assertThat(cancelled.steps()).isEqualTo(2);

        EpisodeResult outOfSteps = runner.run(claim(plan(Protocol.TEXT)), () -> false);
        assertThat(outOfSteps.status()).isEqualTo(EpisodeStatus.COMPLETED);
        assertThat(outOfSteps.steps()).isEqualTo(4);
        assertThat(outOfSteps.success()).isFalse();
        assertThat(outOfSteps.failureClass()).isEqualTo(FailureClass.AGENT_STEPS_EXHAUSTED);
    }

    private long plan(Protocol protocol) {
        AgentSettings settings = new AgentSettings("gpt-4o", protocol, 0.5, null, null, 7L, List.of(), false);
        jdbc.update("""
                INSERT INTO episode (source, problem_id, task_type, application, sample_index, group_id, seed, status,
                    policy, environment, model, max_steps, timeout_seconds, parameters, created_at)
                VALUES ('test', ?, 'detection', 'SocialNetwork', 0, 'g', 7, 'pending', 'canned-test', 'fixed-test',
                    'gpt-4o', 4, 60, ?, CURRENT_TIMESTAMP)""", PROBLEM, AgentSettingsJson.write(settings));
        return jdbc.queryForObject("SELECT MAX(id) FROM episode", Long.class);
    }

    private Episode claim(long id) {
        return episodes.claim(id, "test-worker").orElseThrow();
    }

    @TestConfiguration
    static class Doubles {

        @Bean
        AgentEnvironment fixedTestEnvironment() {
            return new FixedTestEnvironment();
        }

        @Bean
        Policy cannedTestPolicy() {
            return new CannedTestPolicy();
        }
    }

    /**
     * Replays the turns queued in {@link #turns}, each with the usage a server would report (100 prompt tokens of
     * which 20 cached, 15 completion of which 5 reasoning); when none are left it fails like an unavailable LLM.
     */
    static final class CannedTestPolicy implements Policy {

        static final List<ChatMessage> turns = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public String name() {
            return "canned-test";
        }

        @Override
        public PolicySession open(PolicyRequest request) {
            return new PolicySession() {
                @Override
                public String model() {
                    return request.settings().model();
                }

                @Override
                public Protocol protocol() {
                    return request.settings().protocol();
                }

                @Override
                public String toolsJson() {
                    return protocol() == Protocol.TOOLS ? ToolProtocol.toolsJson(request.brief().actions()) : null;
                }

                @Override
                public List<ChatMessage> initialMessages() {
                    return List.of(ChatMessage.system("You are an SRE."), ChatMessage.user(request.brief().taskDescription()));
                }

                @Override
                public AgentTurn next(List<ChatMessage> history) {
                    if (turns.isEmpty()) {
                        throw new PolicyException("LLM unavailable: HTTP 503 after 4 attempts",
                                PolicyException.Kind.SERVER_ERROR, call(Usage.ZERO, "HTTP 503"), null);
                    }
                    return new AgentTurn(turns.remove(0), call(Usage.fromOpenAi(100, 20, 15, 5), null));
                }

                private LlmCallRecord call(Usage usage, String error) {
                    return new LlmCallRecord("req", "gpt-4o", "gpt-4o-2024-08-06", Instant.now(), 3, "stop", 1,
                            usage, null, null, null, error);
                }
            };
        }
    }
}
