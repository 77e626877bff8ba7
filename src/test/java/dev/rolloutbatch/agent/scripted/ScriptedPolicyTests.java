package dev.rolloutbatch.agent.scripted;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.AgentTurn;
import dev.rolloutbatch.agent.PolicyRequest;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.agent.TextProtocol;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.TokenEstimator;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.simulated.RewardProperties;
import dev.rolloutbatch.environment.simulated.SimulatedEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptedPolicyTests {

    private static final ProblemCatalog CATALOG = new ProblemCatalog();

    @Test
    void playsTheTextProtocolAndReportsEstimatedCalls() {
        Problem problem = CATALOG.get("k8s_target_port-misconfig-mitigation-1");
        SimulatedEnvironment env = new SimulatedEnvironment(CATALOG, RewardProperties.defaults());
        ScriptedPolicy policy = new ScriptedPolicy(new TokenEstimator());
        assertThat(policy.name()).isEqualTo("scripted");
        try (EnvironmentSession session = env.start(problem, 0)) {
            PolicySession agent = policy.open(new PolicyRequest(problem, session.brief(),
                    new AgentSettings("scripted-baseline", Protocol.TEXT, null, null, null, 0L, null, false), 0));
            assertThat(agent.model()).isEqualTo("scripted-baseline");
            List<ChatMessage> history = new ArrayList<>(agent.initialMessages());
            assertThat(history).extracting(ChatMessage::role).containsExactly("system", "user");
            assertThat(history.get(0).content()).contains("Namespace: test-social-network").contains("exec_shell(command: str)")
                .contains("get_logs(namespace: str, service: str)").contains("submit()");
            assertThat(history.get(1).content()).contains("code block");
            boolean done = false;
            int turns = 0;
            while (!done && turns++ < 20) {
                AgentTurn turn = agent.next(List.copyOf(history));
                assertThat(turn.assistant().content()).containsOnlyOnce("```\n").endsWith("\n```");
                assertThat(turn.call().usage().estimated()).isTrue();
                assertThat(turn.call().usage().inputUncached()).isPositive();
                assertThat(turn.call().modelReported()).isEqualTo("scripted-baseline");
                assertThat(turn.call().finishReason()).isEqualTo("stop");
                history.add(turn.assistant());
                var result = session.step(TextProtocol.extract(turn.assistant().content()).action());
                history.add(ChatMessage.user(result.observation()));
                done = result.done();
            }
            assertThat(done).isTrue();
            assertThat(history).anyMatch(m -> m.content().contains("kubectl patch service user-service"));
            assertThat(session.evaluate().success()).isTrue();
        }
    }
}
