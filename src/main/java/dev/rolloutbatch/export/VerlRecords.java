package dev.rolloutbatch.export;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.conversation.ConversationReader.LoggedMessage;

import static dev.rolloutbatch.export.Avro.DATE;
import static dev.rolloutbatch.export.Avro.INT;
import static dev.rolloutbatch.export.Avro.JSON;
import static dev.rolloutbatch.export.Avro.LONG;
import static dev.rolloutbatch.export.Avro.STRING;
import static dev.rolloutbatch.export.Avro.array;
import static dev.rolloutbatch.export.Avro.nullable;
import static dev.rolloutbatch.export.Avro.record;
import static dev.rolloutbatch.export.Avro.required;

/**
 * {@code format=verl}: verl's RL prompt format. One row per group (problem × run): the opening system and user
 * messages of the group's first exported episode, with the problem's ground truth for a reward function. verl
 * samples {@code rollout.n} responses per prompt itself, so the samples of a group are not repeated.
 */
class VerlRecords implements DatasetRecords {

    static final String DATA_SOURCE = "aiopslab";

    static final Schema PROMPT_MESSAGE = record("PromptMessage", "one opening message",
            required("role", STRING, "system or user"), required("content", STRING, "message text"));

    static final Schema REWARD_MODEL = record("RewardModel", "how the response is scored",
            required("style", STRING, "'rule': scored against ground_truth"),
            nullable("ground_truth", JSON, "the problem's expected answer (JSON object, per task type)"));

    static final Schema EXTRA_INFO = record("ExtraInfo", "bookkeeping passed through to the reward function",
            required("split", STRING, "train, validation or test: a stable hash of the problem or its fault family"),
            required("index", LONG, "id of the episode the prompt was taken from: unique and stable across exports"),
            required("problem_id", STRING, null), required("task_type", STRING, null),
            required("application", STRING, null), required("group_id", STRING, null),
            required("trajectory_id", STRING, "the episode's conversation the prompt was taken from"),
            nullable("run_id", LONG, null),
            nullable("tools", JSON, "the tools offered (JSON array), null for the text protocol"));

    static final Schema SCHEMA = record("VerlPrompt", "one RL prompt (verl)",
            required("data_source", STRING, "'aiopslab'; selects the reward function"),
            required("prompt", array(PROMPT_MESSAGE), "chat messages the policy starts from"),
            required("ability", STRING, "'aiops/<task_type>'"),
            required("reward_model", REWARD_MODEL, "reward specification"),
            required("extra_info", EXTRA_INFO, "problem and provenance"),
            required("run_date", DATE, "the night the prompt's episode belongs to (also the partition directory)"),
            required("schema_version", INT, "dataset schema version"));

    private final GroundTruth groundTruth;
    private final Set<String> groups = new HashSet<>();

    VerlRecords(GroundTruth groundTruth) {
        this.groundTruth = groundTruth;
    }

    @Override
    public ExportFormat format() {
        return ExportFormat.VERL;
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public @Nullable GenericRecord toRecord(Trajectory t, String split) {
        EpisodeRow e = t.episode();
        if (!groups.add(e.runDate() + "/" + e.groupId())) {
            return null;
        }
        List<GenericRecord> prompt = new GenericData.Array<>(2, array(PROMPT_MESSAGE));
        for (LoggedMessage logged : t.messages()) {
            ChatMessage m = logged.message();
            if (!"system".equals(m.role()) && !"user".equals(m.role())) {
                break;
            }
            GenericRecord message = new GenericData.Record(PROMPT_MESSAGE);
            message.put("role", m.role());
            message.put("content", m.content() == null ? "" : m.content());
            prompt.add(message);
        }
        GenericRecord reward = new GenericData.Record(REWARD_MODEL);
        reward.put("style", "rule");
        reward.put("ground_truth", groundTruth.of(e.problemId()));
        GenericRecord extra = new GenericData.Record(EXTRA_INFO);
        extra.put("split", split);
        extra.put("index", e.episodeId());
        extra.put("problem_id", e.problemId());
        extra.put("task_type", e.taskType());
        extra.put("application", e.application());
        extra.put("group_id", e.groupId());
        extra.put("trajectory_id", e.conversationId().toString());
        extra.put("run_id", e.runId());
        extra.put("tools", Json.column(e.tools()));
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("data_source", DATA_SOURCE);
        r.put("prompt", prompt);
        r.put("ability", "aiops/" + e.taskType());
        r.put("reward_model", reward);
        r.put("extra_info", extra);
        r.put("run_date", Avro.days(e.runDate()));
        r.put("schema_version", SCHEMA_VERSION);
        return r;
    }
}
