package dev.rolloutbatch.export;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import static dev.rolloutbatch.export.Avro.BOOLEAN;
import static dev.rolloutbatch.export.Avro.DATE;
import static dev.rolloutbatch.export.Avro.DOUBLE;
import static dev.rolloutbatch.export.Avro.INT;
import static dev.rolloutbatch.export.Avro.LONG;
import static dev.rolloutbatch.export.Avro.STRING;
import static dev.rolloutbatch.export.Avro.array;
import static dev.rolloutbatch.export.Avro.nullable;
import static dev.rolloutbatch.export.Avro.record;
import static dev.rolloutbatch.export.Avro.required;

/** {@code format=sft}: TRL's conversational format, {@code messages} plus {@code tools}, and a few ids. */
class SftRecords implements DatasetRecords {

    static final Schema MESSAGE = MessageRecords.message("Message", false);

    static final Schema SCHEMA = record("SftExample", "one conversation for supervised fine-tuning (TRL)",
            required("messages", array(MESSAGE), "the conversation in order (TRL conversational format)"),
            nullable("tools", STRING, "JSON array of the tools offered, null for the text protocol"),
            required("trajectory_id", STRING, "the conversation's id"),
            nullable("run_id", LONG, "the collection run"),
            required("problem_id", STRING, "AIOpsLab problem id"),
            required("task_type", STRING, "detection, localization, analysis or mitigation"),
            required("model", STRING, "model that produced the answers"),
            required("success", BOOLEAN, "graded success"),
            nullable("reward", DOUBLE, "reward"),
            required("run_date", DATE, "partition value"),
            required("schema_version", INT, "dataset schema version"));

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public GenericRecord toRecord(Trajectory t) {
        EpisodeRow e = t.episode();
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("messages", MessageRecords.messages(MESSAGE, t.messages()));
        r.put("tools", e.tools());
        r.put("trajectory_id", e.conversationId().toString());
        r.put("run_id", e.runId());
        r.put("problem_id", e.problemId());
        r.put("task_type", e.taskType());
        r.put("model", e.model());
        r.put("success", Boolean.TRUE.equals(e.success()));
        r.put("reward", e.reward());
        r.put("run_date", Avro.days(e.runDate()));
        r.put("schema_version", SCHEMA_VERSION);
        return r;
    }
}
