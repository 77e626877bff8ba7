package dev.rolloutbatch.api;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.agent.PolicyChoice;

/**
 * Whether {@code use_llm: true} tasks can be served: asks {@link PolicyChoice}, the one place that knows whether
 * the {@code openai} policy has an endpoint with the credentials it needs. Tasks are refused without one rather
 * than sent to api.openai.com without a key.
 */
@Component
@Profile("serve")
class LlmEndpoint {

    private static final String LLM_POLICY = "openai";

    private final PolicyChoice policyChoice;

    LlmEndpoint(PolicyChoice policyChoice) {
        this.policyChoice = policyChoice;
    }

    boolean isConfigured() {
        return policyChoice.isConfigured(LLM_POLICY);
    }
}
