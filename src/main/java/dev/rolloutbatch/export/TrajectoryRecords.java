package dev.rolloutbatch.export;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.conversation.Usage;

import static dev.rolloutbatch.export.Avro.BOOLEAN;
import static dev.rolloutbatch.export.Avro.DATE;
import static dev.rolloutbatch.export.Avro.DOUBLE;
import static dev.rolloutbatch.export.Avro.INT;
import static dev.rolloutbatch.export.Avro.JSON;
import static dev.rolloutbatch.export.Avro.LONG;
import static dev.rolloutbatch.export.Avro.STRING;
import static dev.rolloutbatch.export.Avro.TIMESTAMP;
import static dev.rolloutbatch.export.Avro.array;
import static dev.rolloutbatch.export.Avro.nullable;
import static dev.rolloutbatch.export.Avro.optional;
import static dev.rolloutbatch.export.Avro.record;
import static dev.rolloutbatch.export.Avro.required;

/** {@code format=trajectories}: one row per episode with its whole conversation (DESIGN §5). */
class TrajectoryRecords implements DatasetRecords {

    static final Schema SAMPLING = record("Sampling", "sampling configuration; null = the server's default",
            nullable("temperature", DOUBLE, null), nullable("top_p", DOUBLE, null),
            nullable("max_tokens", INT, null), nullable("seed", LONG, null));

    static final Schema USAGE = record("Usage", "tokens in non-overlapping buckets (reasoning is part of output)",
            required("input_uncached", LONG, null), required("cache_read", LONG, null),
            required("cache_write", LONG, null), required("output", LONG, null), required("reasoning", LONG, null));

    static final Schema MESSAGE = MessageRecords.message("Message", true);

    static final Schema SCHEMA = record("Trajectory", "one agent episode (rollout-batch trajectories format)",
            required("trajectory_id", STRING, "the conversation's id (UUID as text)"),
            required("index", LONG, "the episode's id: unique and stable across exports"),
            nullable("run_id", LONG, "the collection run; null for episodes submitted without a run"),
            required("group_id", STRING, "samples of one problem in one run (GRPO group)"),
            required("sample_index", INT, "index of the sample within its group"),
            required("problem_id", STRING, "AIOpsLab problem id"),
            required("task_type", STRING, "detection, localization, analysis or mitigation"),
            required("application", STRING, "AIOpsLab application"),
            required("split", STRING, "train, validation or test: a stable hash of the problem or its fault family"),
            required("model", STRING, "model requested"), required("policy", STRING, "policy (openai, scripted)"),
            required("protocol", STRING, "text (one API call in a code block) or tools (native tool calling)"),
            required("sampling", SAMPLING, "sampling configuration"),
            required("messages", array(MESSAGE), "the conversation in order"),
            nullable("tools", JSON, "the tools offered (OpenAI schema, JSON array); null for the text protocol"),
            required("status", STRING, "episode status: completed, failed or timeout"),
            nullable("failure_class", STRING, "infrastructure:<kind> or agent:<kind>; null on success or when not "
                    + "recorded"),
            required("success", BOOLEAN, "the project's grading; false for failed and timed-out episodes"),
            nullable("aiopslab_success", BOOLEAN, "AIOpsLab's own grading; null when the evaluation has none"),
            required("reward", DOUBLE, "the project's reward; the export's failureReward (default 0) for episodes "
                    + "that ended without a grade"),
            nullable("evaluation", JSON, "the evaluation (JSON object: both gradings, submission, steps), or "
                    + "{status, error} for an episode that ended without one"),
            nullable("submission", STRING, "the raw submit(...) call, null when the agent submitted nothing"),
            nullable("max_steps", INT, "step limit of the episode"),
            nullable("steps_taken", INT, "agent steps taken"),
            required("num_turns", INT, "assistant messages"),
            required("usage", USAGE, "token totals of the conversation"),
            required("usage_estimated", BOOLEAN, "true when any call's usage was estimated locally (no usage "
                    + "reported by the server)"),
            required("finish_reasons", array(optional(STRING)), "finish reason of each LLM call in order "
                    + "(stop, tool_calls, length = truncated; null for a call that failed)"),
            nullable("cost_usd", DOUBLE, "cost in USD; null when a model had no price"),
            required("latency_ms", LONG, "sum of the LLM calls' latencies"),
            required("started_at", TIMESTAMP, "conversation start (UTC)"),
            nullable("ended_at", TIMESTAMP, "conversation end (UTC)"),
            required("run_date", DATE, "the night the episode belongs to (also the partition directory)"),
            required("schema_version", INT, "dataset schema version"),
            nullable("prompt_ids", array(INT), "token ids of the first prompt, when captured"),
            nullable("response_ids", array(INT), "token ids after the prompt (responses and observations)"),
            nullable("response_mask", array(INT), "1 for model-generated tokens, 0 for observation tokens"),
            nullable("response_logprobs", array(DOUBLE), "logprob per response token (0 where mask is 0)"));

    private final ExportParameters parameters;

    TrajectoryRecords(ExportParameters parameters) {
        this.parameters = parameters;
    }

    @Override
    public ExportFormat format() {
        return ExportFormat.TRAJECTORIES;
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public GenericRecord toRecord(Trajectory t, String split) {
        EpisodeRow e = t.episode();
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("trajectory_id", e.conversationId().toString());
        r.put("index", e.episodeId());
        r.put("run_id", e.runId());
        r.put("group_id", e.groupId());
        r.put("sample_index", e.sampleIndex());
        r.put("problem_id", e.problemId());
        r.put("task_type", e.taskType());
        r.put("application", e.application());
        r.put("split", split);
        r.put("model", e.model());
        r.put("policy", e.policy());
        r.put("protocol", e.protocol());
        r.put("sampling", sampling(Json.sampling(e.sampling())));
        r.put("messages", MessageRecords.messages(MESSAGE, t.messages()));
        r.put("tools", Json.column(e.tools()));
        r.put("status", e.status());
        r.put("failure_class", e.failureClass());
        r.put("success", e.succeeded());
        r.put("aiopslab_success", Json.aiopslabSuccess(e.evaluation()));
        r.put("reward", parameters.reward(e));
        r.put("evaluation", Json.column(evaluation(e)));
        r.put("submission", e.submission());
        r.put("max_steps", e.maxSteps());
        r.put("steps_taken", e.stepsTaken());
        r.put("num_turns", t.numTurns());
        r.put("usage", usage(e.usage()));
        r.put("usage_estimated", e.usage().estimated());
        r.put("finish_reasons", new GenericData.Array<>(array(optional(STRING)), t.finishReasons()));
        r.put("cost_usd", e.costUsd() == null ? null : e.costUsd().doubleValue());
        r.put("latency_ms", t.latencyMs());
        r.put("started_at", Avro.micros(e.startedAt()));
        r.put("ended_at", Avro.micros(e.endedAt()));
        r.put("run_date", Avro.days(e.runDate()));
        r.put("schema_version", SCHEMA_VERSION);
        TokenColumns tokens = TokenColumns.of(t.calls());
        r.put("prompt_ids", list(tokens.promptIds(), INT));
        r.put("response_ids", list(tokens.responseIds(), INT));
        r.put("response_mask", list(tokens.responseMask(), INT));
        r.put("response_logprobs", list(tokens.responseLogprobs(), DOUBLE));
        return r;
    }

    /** The evaluation results; for an episode that ended without a result, its status and reason. */
    static String evaluation(EpisodeRow e) {
        if (e.evaluation() != null || e.completed()) {
            return e.evaluation();
        }
        ObjectNode node = Json.MAPPER.createObjectNode().put("status", e.status()).put("error", e.error());
        return Json.MAPPER.writeValueAsString(node);
    }

    private static GenericRecord sampling(Json.Sampling s) {
        GenericRecord r = new GenericData.Record(SAMPLING);
        r.put("temperature", s.temperature());
        r.put("top_p", s.topP());
        r.put("max_tokens", s.maxTokens());
        r.put("seed", s.seed());
        return r;
    }

    static GenericRecord usage(Usage u) {
        GenericRecord r = new GenericData.Record(USAGE);
        r.put("input_uncached", u.inputUncached());
        r.put("cache_read", u.cacheRead());
        r.put("cache_write", u.cacheWrite());
        r.put("output", u.output());
        r.put("reasoning", u.reasoning());
        return r;
    }

    private static <T> List<T> list(List<T> values, Schema item) {
        return values == null ? null : new GenericData.Array<>(array(item), values);
    }
}
