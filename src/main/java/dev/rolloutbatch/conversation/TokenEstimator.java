package dev.rolloutbatch.conversation;

import java.util.List;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import org.springframework.stereotype.Component;

/**
 * Estimates token counts with jtokkit's o200k encoding, for completions whose server reported no usage and for
 * the scripted policy. Estimates are always flagged ({@link Usage#estimated()}).
 */
@Component
public class TokenEstimator {

    /** Chat-format overhead per message (role and separators), as in OpenAI's cookbook. */
    private static final int PER_MESSAGE = 4;

    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : O200k.ENCODING.countTokens(text);
    }

    public Usage estimate(List<ChatMessage> prompt, ChatMessage completion) {
        long input = 3;
        for (ChatMessage message : prompt) {
            input += PER_MESSAGE + count(message.content()) + toolCallTokens(message);
        }
        long output = count(completion.content()) + toolCallTokens(completion);
        return new Usage(input, 0, 0, output, 0, true);
    }

    private int toolCallTokens(ChatMessage message) {
        int tokens = 0;
        for (ToolCall call : message.toolCalls()) {
            tokens += count(call.name()) + count(call.arguments());
        }
        return tokens;
    }

    /**
     * Loaded on the first count, not with the bean: reading the o200k table takes a second of CPU at start-up, and
     * a run of the {@code openai} policy whose server reports usage, or an export, never needs it.
     */
    private static final class O200k {

        static final Encoding ENCODING = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }
}
