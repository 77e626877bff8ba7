package dev.rolloutbatch.agent.scripted;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.rolloutbatch.agent.AgentPrompts;
import dev.rolloutbatch.agent.AgentTurn;
import dev.rolloutbatch.agent.Policy;
import dev.rolloutbatch.agent.PolicyRequest;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.LlmCallRecord;
import dev.rolloutbatch.conversation.TokenEstimator;
import dev.rolloutbatch.conversation.Usage;

/**
 * The {@code scripted} policy: an offline baseline agent (model {@code scripted-baseline}) that plays AIOpsLab's
 * text protocol with fixed heuristics (see {@link ScriptedAgent}). Every turn is logged like an LLM call, with
 * usage estimated by {@link TokenEstimator} and zero cost.
 */
@Component
public class ScriptedPolicy implements Policy {

    public static final String MODEL = "scripted-baseline";

    private final TokenEstimator tokens;

    public ScriptedPolicy(TokenEstimator tokens) {
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public PolicySession open(PolicyRequest request) {
        return new Session(request);
    }

    private final class Session implements PolicySession {

        private final PolicyRequest request;
        private final ScriptedAgent agent;

        Session(PolicyRequest request) {
            this.request = request;
            this.agent = new ScriptedAgent(request.problem(), request.seed());
        }

        @Override
        public String model() {
            return MODEL;
        }

        @Override
        public Protocol protocol() {
            return Protocol.TEXT;
        }

        @Override
        public @Nullable String toolsJson() {
            return null;
        }

        @Override
        public List<ChatMessage> initialMessages() {
            return AgentPrompts.initialMessages(request.problem(), request.brief(), Protocol.TEXT);
        }

        /** The environment's answer without the request for the next action that frames it. */
        private static String withoutRequest(String content) {
            String suffix = "\n" + dev.rolloutbatch.agent.TextProtocol.NEXT_ACTION;
            return content != null && content.endsWith(suffix) ? content.substring(0, content.length() - suffix.length())
                    : content;
        }

        @Override
        public AgentTurn next(List<ChatMessage> history) {
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            String observation = null;
            boolean sawAssistant = history.stream().anyMatch(m -> "assistant".equals(m.role()));
            if (sawAssistant && !history.isEmpty() && !"assistant".equals(history.getLast().role())) {
                observation = withoutRequest(history.getLast().content());
            }
            String[] decision = agent.next(observation);
            ChatMessage reply = ChatMessage.assistant(decision[0] + "\n\n```\n" + decision[1] + "\n```");
            Usage usage = tokens.estimate(history, reply);
            long latency = (System.nanoTime() - t0) / 1_000_000;
            LlmCallRecord call = new LlmCallRecord("scripted-" + UUID.randomUUID(), MODEL, MODEL, started, latency,
                    "stop", 1, usage, null, null, null, null);
            return new AgentTurn(reply, call);
        }
    }
}
