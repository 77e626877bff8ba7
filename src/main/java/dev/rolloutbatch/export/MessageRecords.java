package dev.rolloutbatch.export;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.ConversationReader.LoggedMessage;
import dev.rolloutbatch.conversation.ToolCall;

import static dev.rolloutbatch.export.Avro.INT;
import static dev.rolloutbatch.export.Avro.JSON;
import static dev.rolloutbatch.export.Avro.STRING;
import static dev.rolloutbatch.export.Avro.array;
import static dev.rolloutbatch.export.Avro.nullable;
import static dev.rolloutbatch.export.Avro.record;
import static dev.rolloutbatch.export.Avro.required;

/** The chat message struct shared by the trajectories and sft formats (OpenAI / TRL shape). */
final class MessageRecords {

    static final Schema FUNCTION = record("Function", "the function a tool call invokes",
            nullable("name", STRING, "function name"),
            nullable("arguments", JSON, "the arguments object the model sent (JSON; text that was not valid JSON is "
                    + "kept as a JSON string)"));

    static final Schema TOOL_CALL = record("ToolCall", "one tool call of an assistant message",
            nullable("id", STRING, "tool call id"), required("type", STRING, "always 'function'"),
            required("function", FUNCTION, "the call"));

    private MessageRecords() {
    }

    /** The message struct; with {@code step} for trajectories, without for sft. */
    static Schema message(String name, boolean withStep) {
        List<Schema.Field> fields = new ArrayList<>(List.of(required("role", STRING, "system, user, assistant or tool"),
                nullable("content", STRING, "message text"), nullable("name", STRING, "participant name"),
                nullable("tool_call_id", STRING, "for a tool message, the call it answers"),
                nullable("tool_calls", array(TOOL_CALL), "the assistant's tool calls, null when none")));
        if (withStep) {
            fields.add(required("step", INT, "agent step the message belongs to (0 = the opening prompt)"));
        }
        return Schema.createRecord(name, "one chat message", Avro.NAMESPACE, false, fields);
    }

    static List<GenericRecord> messages(Schema messageSchema, List<LoggedMessage> messages) {
        Schema toolCallsSchema = messageSchema.getField("tool_calls").schema().getTypes().get(1);
        boolean withStep = messageSchema.getField("step") != null;
        List<GenericRecord> records = new GenericData.Array<>(messages.size(), array(messageSchema));
        for (LoggedMessage logged : messages) {
            ChatMessage m = logged.message();
            GenericRecord r = new GenericData.Record(messageSchema);
            r.put("role", m.role());
            r.put("content", m.content());
            r.put("name", m.name());
            r.put("tool_call_id", m.toolCallId());
            r.put("tool_calls", m.toolCalls().isEmpty() ? null : toolCalls(toolCallsSchema, m.toolCalls()));
            if (withStep) {
                r.put("step", logged.step());
            }
            records.add(r);
        }
        return records;
    }

    private static List<GenericRecord> toolCalls(Schema arraySchema, List<ToolCall> calls) {
        List<GenericRecord> records = new GenericData.Array<>(calls.size(), arraySchema);
        for (ToolCall call : calls) {
            GenericRecord function = new GenericData.Record(FUNCTION);
            function.put("name", call.name());
            function.put("arguments", Json.column(call.arguments()));
            GenericRecord r = new GenericData.Record(TOOL_CALL);
            r.put("id", call.id());
            r.put("type", "function");
            r.put("function", function);
            records.add(r);
        }
        return records;
    }
}
