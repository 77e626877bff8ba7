package dev.rolloutbatch.conversation;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationReaderTests {

    @Test
    void toolCallsReadBackWhatTheLogWrote() {
        List<ToolCall> calls = List.of(new ToolCall("call_1", "get_logs", "{\"namespace\": \"ns\", \"service\": \"ü\"}"),
                new ToolCall("call_2", "submit", "not json {"), new ToolCall(null, "submit", null));
        assertThat(ConversationReader.toolCalls(ConversationLog.toolCallsJson(calls))).isEqualTo(calls);
    }

    @Test
    void noneOrUnreadableToolCallsAreEmpty() {
        assertThat(ConversationReader.toolCalls(null)).isEmpty();
        assertThat(ConversationReader.toolCalls("")).isEmpty();
        assertThat(ConversationReader.toolCalls("{broken")).isEmpty();
        assertThat(ConversationReader.toolCalls("[]")).isEmpty();
    }

    @Test
    void argumentsLoggedAsAnObjectAreReturnedAsTheirJsonText() {
        assertThat(ConversationReader.toolCalls("""
                [{"id":"c","type":"function","function":{"name":"exec_shell","arguments":{"command":"ls"}}}]"""))
            .containsExactly(new ToolCall("c", "exec_shell", "{\"command\":\"ls\"}"));
    }
}
