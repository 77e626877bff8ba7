package dev.rolloutbatch.envservice;

import java.nio.charset.StandardCharsets;
import java.util.IntSummaryStatistics;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import dev.rolloutbatch.agent.AgentPrompts;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.simulated.RewardProperties;
import dev.rolloutbatch.environment.simulated.SimulatedEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The opening prompt lengths the README's verl recipe is sized for, measured offline with the cl100k_base and
 * o200k_base encodings bundled in jtokkit (+4 tokens per message, +3 per prompt, as OpenAI counts chat messages):
 * longer than verl's default max_prompt_length of 512 for every problem, within the recipe's 2048 even at a
 * conservative 3 UTF-8 bytes per token.
 */
class PromptLengthTests {

    @Test
    void everyOpeningPromptExceedsVerlsDefaultAndFitsTheRecipe() {
        EncodingRegistry registry = Encodings.newDefaultEncodingRegistry();
        Encoding cl100k = registry.getEncoding(EncodingType.CL100K_BASE);
        Encoding o200k = registry.getEncoding(EncodingType.O200K_BASE);
        ProblemCatalog catalog = new ProblemCatalog();
        SimulatedEnvironment twin = new SimulatedEnvironment(catalog, RewardProperties.defaults());
        IntSummaryStatistics cl = new IntSummaryStatistics();
        IntSummaryStatistics o2 = new IntSummaryStatistics();
        IntSummaryStatistics bytes = new IntSummaryStatistics();
        for (Problem problem : catalog.problems()) {
            try (EnvironmentSession session = twin.start(problem, 1)) {
                int c = 3;
                int o = 3;
                int b = 0;
                for (ChatMessage m : AgentPrompts.initialMessages(problem, session.brief(), Protocol.TEXT)) {
                    c += 4 + cl100k.countTokens(m.content());
                    o += 4 + o200k.countTokens(m.content());
                    b += m.content().getBytes(StandardCharsets.UTF_8).length;
                }
                cl.accept(c);
                o2.accept(o);
                bytes.accept(b);
            }
        }
        assertThat(cl.getCount()).isEqualTo(catalog.problems().size());
        // README, "Environment service (for online trainers)", Lengths: 830-963 tokens, at most 4379 bytes.
        assertThat(cl.getMin()).as("cl100k " + cl).isGreaterThan(512);
        assertThat(o2.getMin()).as("o200k " + o2).isGreaterThan(512);
        assertThat(Math.max(cl.getMax(), o2.getMax())).as(cl + " " + o2).isLessThan(1024);
        assertThat((bytes.getMax() + 2) / 3).as("bytes " + bytes).isLessThan(2048 - 200);
    }
}
