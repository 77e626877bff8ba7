package dev.rolloutbatch.export;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import dev.rolloutbatch.conversation.ConversationReader.LoggedMessage;

import static dev.rolloutbatch.export.Avro.BOOLEAN;
import static dev.rolloutbatch.export.Avro.DATE;
import static dev.rolloutbatch.export.Avro.DOUBLE;
import static dev.rolloutbatch.export.Avro.INT;
import static dev.rolloutbatch.export.Avro.JSON;
import static dev.rolloutbatch.export.Avro.LONG;
import static dev.rolloutbatch.export.Avro.STRING;
import static dev.rolloutbatch.export.Avro.array;
import static dev.rolloutbatch.export.Avro.nullable;
import static dev.rolloutbatch.export.Avro.record;
import static dev.rolloutbatch.export.Avro.required;

/**
 * {@code format=sft}: TRL's conversational format, {@code messages} plus {@code tools}, and a few ids. Completed
 * episodes only; each row ends on the agent's last assistant message (the environment's reply to the submission
 * is not a training target, and SFT loaders drop or mis-train rows that end on another role).
 */
class SftRecords implements DatasetRecords {

    static final Schema MESSAGE = MessageRecords.message("Message", false);

    static final Schema SCHEMA = record("SftExample", "one conversation for supervised fine-tuning (TRL)",
            required("messages", array(MESSAGE), "the conversation in order, ending on an assistant message "
                    + "(TRL conversational format)"),
            nullable("tools", JSON, "the tools offered (JSON array), null for the text protocol"),
            required("trajectory_id", STRING, "the conversation's id"),
            required("index", LONG, "the episode's id: unique and stable across exports"),
            nullable("run_id", LONG, "the collection run"),
            required("problem_id", STRING, "AIOpsLab problem id"),
            required("task_type", STRING, "detection, localization, analysis or mitigation"),
            required("split", STRING, "train, validation or test: a stable hash of the problem or its fault family"),
            required("model", STRING, "model that produced the answers"),
            required("protocol", STRING, "text or tools"),
            required("success", BOOLEAN, "the project's grading"),
            nullable("aiopslab_success", BOOLEAN, "AIOpsLab's own grading; null when the evaluation has none"),
            required("reward", DOUBLE, "the project's reward"),
            required("run_date", DATE, "the night the episode belongs to (also the partition directory)"),
            required("schema_version", INT, "dataset schema version"));

    private final ExportParameters parameters;

    SftRecords(ExportParameters parameters) {
        this.parameters = parameters;
    }

    @Override
    public ExportFormat format() {
        return ExportFormat.SFT;
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public @Nullable GenericRecord toRecord(Trajectory t, String split) {
        EpisodeRow e = t.episode();
        List<LoggedMessage> messages = untilLastAssistant(t.messages());
        if (!e.completed() || messages.isEmpty()) {
            return null;
        }
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("messages", MessageRecords.messages(MESSAGE, messages));
        r.put("tools", Json.column(e.tools()));
        r.put("trajectory_id", e.conversationId().toString());
        r.put("index", e.episodeId());
        r.put("run_id", e.runId());
        r.put("problem_id", e.problemId());
        r.put("task_type", e.taskType());
        r.put("split", split);
        r.put("model", e.model());
        r.put("protocol", e.protocol());
        r.put("success", e.succeeded());
        r.put("aiopslab_success", Json.aiopslabSuccess(e.evaluation()));
        r.put("reward", parameters.reward(e));
        r.put("run_date", Avro.days(e.runDate()));
        r.put("schema_version", SCHEMA_VERSION);
        return r;
    }

    /** The messages up to and including the last assistant message; empty when there is none. */
    static List<LoggedMessage> untilLastAssistant(List<LoggedMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("assistant".equals(messages.get(i).message().role())) {
                return messages.subList(0, i + 1);
            }
        }
        return List.of();
    }
}
