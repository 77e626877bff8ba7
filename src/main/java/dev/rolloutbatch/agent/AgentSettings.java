package dev.rolloutbatch.agent;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Model and sampling for one episode, from job parameters (or the API's {@code agent_config}).
 * Null numbers mean "the server's default".
 *
 * @param logprobs request per-token logprobs (and token ids from vLLM) for RL training data
 */
public record AgentSettings(String model, Protocol protocol, @Nullable Double temperature,
        @Nullable Double topP, @Nullable Integer maxTokens, @Nullable Long seed, @Nullable List<String> stop,
        boolean logprobs) {

    public AgentSettings {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }
}
