package dev.rolloutbatch.export;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import static dev.rolloutbatch.export.Avro.INT;
import static dev.rolloutbatch.export.Avro.STRING;
import static dev.rolloutbatch.export.Avro.array;
import static dev.rolloutbatch.export.Avro.nullable;
import static dev.rolloutbatch.export.Avro.record;
import static dev.rolloutbatch.export.Avro.required;

/** The chat message struct shared by the trajectories and sft formats (OpenAI / TRL shape). */
final class MessageRecords {

    static final Schema FUNCTION = record("Function", "the function a tool call invokes",
            nullable("name", STRING, "function name"),
            nullable("arguments", STRING, "arguments as the raw JSON string the model sent"));

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

    static List<GenericRecord> messages(Schema messageSchema, List<Trajectory.Message> messages) {
        Schema toolCallsSchema = messageSchema.getField("tool_calls").schema().getTypes().get(1);
        List<GenericRecord> records = new GenericData.Array<>(messages.size(), array(messageSchema));
        for (Trajectory.Message m : messages) {
            GenericRecord r = new GenericData.Record(messageSchema);
            r.put("role", m.role());
            r.put("content", m.content());
            r.put("name", m.name());
            r.put("tool_call_id", m.toolCallId());
            r.put("tool_calls", m.toolCalls() == null ? null : toolCalls(toolCallsSchema, m.toolCalls()));
            if (messageSchema.getField("step") != null) {
                r.put("step", m.step());
            }
            records.add(r);
        }
        return records;
    }

    private static List<GenericRecord> toolCalls(Schema arraySchema, List<Trajectory.ToolCall> calls) {
        List<GenericRecord> records = new GenericData.Array<>(calls.size(), arraySchema);
        for (Trajectory.ToolCall call : calls) {
            GenericRecord function = new GenericData.Record(FUNCTION);
            function.put("name", call.name());
            function.put("arguments", call.arguments());
            GenericRecord r = new GenericData.Record(TOOL_CALL);
            r.put("id", call.id());
            r.put("type", call.type());
            r.put("function", function);
            records.add(r);
        }
        return records;
    }
}
