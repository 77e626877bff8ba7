package dev.rolloutbatch.api;

import java.time.Instant;
import java.util.List;

import dev.rolloutbatch.agent.AgentTurn;
import dev.rolloutbatch.agent.Policy;
import dev.rolloutbatch.agent.PolicyRequest;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.LlmCallRecord;
import dev.rolloutbatch.conversation.Usage;

/**
 * Test-only policy {@code echo-test}: logs its conversation under the task's {@code agent_config.model} and reports
 * {@link #USAGE} per call, so tests can check tokens and cost; looks at the logs once, then submits. A model
 * named {@code slow-*} never submits and takes 50 ms per turn (for cancellation tests). Stands in for
 * {@code scripted} until that policy is merged.
 */
class EchoTestPolicy implements Policy {

    static final String NAME = "echo-test";
    static final Usage USAGE = new Usage(100, 0, 0, 20, 0, false);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PolicySession open(PolicyRequest request) {
        String model = request.settings().model();
        boolean slow = model.startsWith("slow-");
        return new PolicySession() {

            @Override
            public String model() {
                return model;
            }

            @Override
            public Protocol protocol() {
                return Protocol.TEXT;
            }

            @Override
            public String toolsJson() {
                return null;
            }

            @Override
            public List<ChatMessage> initialMessages() {
                return List.of(ChatMessage.system("You are an SRE agent."),
                        ChatMessage.user(request.brief().taskDescription()));
            }

            @Override
            public AgentTurn next(List<ChatMessage> history) {
                long turns = history.stream().filter(m -> m.role().equals("assistant")).count();
                if (slow) {
                    try {
                        Thread.sleep(50);
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
                String action = turns == 0 || slow ? "get_logs(\"ns\", \"svc\")" : "submit(\"Yes\")";
                return new AgentTurn(ChatMessage.assistant("```\n" + action + "\n```"), new LlmCallRecord(null, model,
                        model, Instant.now(), 5, "stop", 1, USAGE, null, null, null, null));
            }
        };
    }
}
