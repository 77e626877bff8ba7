package dev.rolloutbatch.agent;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigsTests {

    private static final AgentSettings DEFAULTS = new AgentSettings("gpt-4o-mini", Protocol.TEXT, null, null, 1024,
            5L, List.of(), false);

    @Test
    void theSeedsAgentConfigMapsOntoSettings() {
        AgentSettings settings = AgentConfigs.fromAgentConfig(
                Map.of("model", "gpt-4", "temperature", 0.7, "max_tokens", 2048, "top_p", 0.9), DEFAULTS);
        assertThat(settings).isEqualTo(new AgentSettings("gpt-4", Protocol.TEXT, 0.7, 0.9, 2048, 5L, List.of(), false));
    }

    @Test
    void missingKeysKeepDefaultsAndOptionalOnesAreRead() {
        AgentSettings settings = AgentConfigs.fromAgentConfig(Map.of("temperature", 0, "protocol", "tools", "stop",
                "###", "logprobs", true, "seed", 11), DEFAULTS);
        assertThat(settings).isEqualTo(new AgentSettings("gpt-4o-mini", Protocol.TOOLS, 0.0, null, 1024, 11L,
                List.of("###"), true));
        assertThat(AgentConfigs.fromAgentConfig(Map.of(), DEFAULTS)).isSameAs(DEFAULTS);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> AgentConfigs.fromAgentConfig(Map.of("temperature", "hot"), DEFAULTS))
            .hasMessageContaining("temperature");
        assertThatThrownBy(() -> AgentConfigs.fromAgentConfig(Map.of("top_p", 1.5), DEFAULTS))
            .hasMessageContaining("top_p");
        assertThatThrownBy(() -> AgentConfigs.fromAgentConfig(Map.of("max_tokens", 0), DEFAULTS))
            .hasMessageContaining("max_tokens");
        assertThatThrownBy(() -> AgentConfigs.fromAgentConfig(Map.of("temprature", 0.2), DEFAULTS))
            .hasMessageContaining("unknown key 'temprature'");
    }
}
