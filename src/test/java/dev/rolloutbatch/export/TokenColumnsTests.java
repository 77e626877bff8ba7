package dev.rolloutbatch.export;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rolloutbatch.conversation.ConversationReader.LoggedCall;
import dev.rolloutbatch.conversation.Usage;

import static org.assertj.core.api.Assertions.assertThat;

class TokenColumnsTests {

    static LoggedCall call(String ids, String logprobs) {
        return new LoggedCall(0, 0, 1, "stop", Usage.ZERO, null, ids, logprobs);
    }

    @Test
    void observationsBetweenCallsAreMaskedOut() {
        TokenColumns t = TokenColumns.of(List.of(call("{\"prompt_token_ids\":[1,2],\"token_ids\":[3]}", "[-1.0]"),
                call("{\"prompt_ids\":[1,2,3,4],\"response_ids\":[5,6]}", "[-0.5,-0.25]")));
        assertThat(t.promptIds()).containsExactly(1, 2);
        assertThat(t.responseIds()).containsExactly(3, 4, 5, 6);
        assertThat(t.responseMask()).containsExactly(1, 0, 1, 1);
        assertThat(t.responseLogprobs()).containsExactly(-1.0, 0.0, -0.5, -0.25);
    }

    @Test
    void absentWhenACallHasNoIdsOrThePrefixBreaks() {
        assertThat(TokenColumns.of(List.of(call("{\"prompt_token_ids\":[1],\"token_ids\":[2]}", null),
                call(null, null)))).isEqualTo(TokenColumns.NONE);
        assertThat(TokenColumns.of(List.of(call("{\"prompt_token_ids\":[1],\"token_ids\":[2]}", null),
                call("{\"prompt_token_ids\":[9,9,9],\"token_ids\":[2]}", null)))).isEqualTo(TokenColumns.NONE);
        TokenColumns noLogprobs = TokenColumns.of(List.of(call("{\"prompt_token_ids\":[1],\"token_ids\":[2]}", null)));
        assertThat(noLogprobs.responseIds()).containsExactly(2);
        assertThat(noLogprobs.responseLogprobs()).isNull();
    }
}
