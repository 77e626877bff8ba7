package dev.rolloutbatch.agent.openai;

import dev.rolloutbatch.environment.FixedTestEnvironment;
import java.time.Duration;
import java.util.List;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.PolicyRequest;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.TaskType;
import dev.rolloutbatch.conversation.TokenEstimator;
import dev.rolloutbatch.environment.ActionSpec;
import dev.rolloutbatch.environment.TaskBrief;

/** Shared values for the openai policy's tests. */
final class OpenAiTestSupport {

    /** A distinctive fake key: it must never show up in the database, logs or messages. */
    static final String KEY = "sk-test-SECRET-7f3a9c1e5b2d4f60aa";

    static final List<ActionSpec> ACTIONS = FixedTestEnvironment.BRIEF.actions();

    static final TaskBrief BRIEF = FixedTestEnvironment.BRIEF;

    static final Problem PROBLEM = new Problem("k8s_target_port-misconfig-detection-1", TaskType.DETECTION,
            "k8s_target_port-misconfig", "SocialNetwork", "test-social-network", "user-service", "Virtualization",
            "Misconfiguration", "k8s", "Yes");

    private OpenAiTestSupport() {
    }

    static OpenAiProperties properties(String baseUrl) {
        return new OpenAiProperties(baseUrl, Duration.ofSeconds(5), 6, Duration.ofMillis(10), Duration.ofMillis(50),
                Duration.ofSeconds(10), 8, 0, 0, 2, "max_tokens");
    }

    static OpenAiPolicy policy(OpenAiProtocolFixture fixture, OpenAiProperties properties) {
        return new OpenAiPolicy(new OpenAiEndpoint(fixture.baseUrl(), KEY, "org-test"), properties, new TokenEstimator());
    }

    static AgentSettings settings(Protocol protocol, boolean logprobs) {
        return new AgentSettings("gpt-4o", protocol, 0.7, 0.95, 512, 42L, List.of("</done>"), logprobs);
    }

    static PolicyRequest request(AgentSettings settings) {
        return new PolicyRequest(PROBLEM, BRIEF, settings, 7L);
    }
}
