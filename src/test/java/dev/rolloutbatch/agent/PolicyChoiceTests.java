package dev.rolloutbatch.agent;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import dev.rolloutbatch.agent.openai.OpenAiEndpoint;
import dev.rolloutbatch.agent.openai.OpenAiPolicy;
import dev.rolloutbatch.agent.openai.OpenAiProperties;
import dev.rolloutbatch.agent.scripted.ScriptedPolicy;
import dev.rolloutbatch.conversation.TokenEstimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which policy a run gets when it names none, and whether the openai one is ready, answered in one place. */
class PolicyChoiceTests {

    @Test
    void aKeyOrBaseUrlInTheShellDoesNotChooseThePaidPolicy() {
        MockEnvironment shell = new MockEnvironment().withProperty("OPENAI_API_KEY", "sk-in-the-shell")
            .withProperty("OPENAI_BASE_URL", "https://api.openai.com/v1");
        PolicyChoice choice = choice(shell, openAi(null, new OpenAiEndpoint("https://api.openai.com/v1", "sk-in-the-shell", null)));

        assertThat(choice.defaultPolicy()).isEqualTo("scripted");
    }

    @Test
    void theConfigurationAsksForThePaidPolicyByNameOrByAnEndpointInRolloutOpenaiBaseUrl() {
        assertThat(choice(new MockEnvironment().withProperty("rollout.policy", "openai"),
                openAi(null, new OpenAiEndpoint("http://127.0.0.1:8000/v1", null, null))).defaultPolicy())
            .isEqualTo("openai");
        assertThat(choice(new MockEnvironment(), openAi("http://127.0.0.1:8000/v1",
                new OpenAiEndpoint("http://127.0.0.1:8000/v1", null, null))).defaultPolicy())
            .isEqualTo("openai");
    }

    @Test
    void aLocalEndpointNeedsNoKeyARemoteOneDoesUnlessConfiguredKeyless() {
        PolicyChoice local = choice(new MockEnvironment(), openAi(null,
                new OpenAiEndpoint("http://localhost:8000/v1", null, null)));
        assertThat(local.isConfigured("openai")).isTrue();

        PolicyChoice remote = choice(new MockEnvironment(), openAi(null,
                new OpenAiEndpoint("https://api.openai.com/v1", null, null)));
        assertThat(remote.isConfigured("openai")).isFalse();
        assertThatThrownBy(() -> remote.checkReady("openai")).isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("OPENAI_API_KEY is not set and the endpoint https://api.openai.com/v1 needs it");

        PolicyChoice keyless = choice(new MockEnvironment(), openAi(null,
                new OpenAiEndpoint("http://gpu-box.internal:8000/v1", null, null, false)));
        assertThat(keyless.isConfigured("openai")).isTrue();
        assertThat(choice(new MockEnvironment(), openAi(null,
                new OpenAiEndpoint("http://127.0.0.1:8000/v1", null, null, true))).isConfigured("openai")).isFalse();
    }

    @Test
    void credentialsInTheBaseUrlAreNeverShown() {
        OpenAiEndpoint endpoint = new OpenAiEndpoint("https://team:p4ss@gateway.example.com:8443/openai/v1?api-key=t0ken",
                "sk-k3y", null);

        assertThat(endpoint.displayUrl()).isEqualTo("https://[REDACTED]@gateway.example.com:8443/openai/v1?[REDACTED]");
        assertThat(endpoint.toString()).doesNotContain("p4ss").doesNotContain("t0ken").doesNotContain("sk-k3y");
        assertThat(endpoint.scrub("POST https://team:p4ss@gateway.example.com:8443/openai/v1?api-key=t0ken failed;"
                + " key sk-k3y; user team:p4ss; api-key=t0ken")).doesNotContain("p4ss").doesNotContain("t0ken")
            .doesNotContain("sk-k3y");
        assertThat(endpoint.isLocal()).isFalse();
        assertThat(new OpenAiEndpoint("http://[::1]:8000/v1", null, null).isLocal()).isTrue();
        assertThat(new OpenAiEndpoint("http://127.0.0.2:8000/v1", null, null).isLocal()).isTrue();
    }

    private static PolicyChoice choice(MockEnvironment environment, Policy openAi) {
        return new PolicyChoice(new Policies(List.of(openAi, new ScriptedPolicy(new TokenEstimator()))), environment);
    }

    private static OpenAiPolicy openAi(String baseUrlProperty, OpenAiEndpoint endpoint) {
        return new OpenAiPolicy(endpoint, OpenAiProperties.defaults(baseUrlProperty), new TokenEstimator());
    }
}
