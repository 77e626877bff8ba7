package dev.rolloutbatch.export;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import tools.jackson.databind.node.ObjectNode;

import static dev.rolloutbatch.export.Avro.BOOLEAN;
import static dev.rolloutbatch.export.Avro.DATE;
import static dev.rolloutbatch.export.Avro.DOUBLE;
import static dev.rolloutbatch.export.Avro.INT;
import static dev.rolloutbatch.export.Avro.LONG;
import static dev.rolloutbatch.export.Avro.STRING;
import static dev.rolloutbatch.export.Avro.TIMESTAMP;
import static dev.rolloutbatch.export.Avro.array;
import static dev.rolloutbatch.export.Avro.nullable;
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
            nullable("run_id", LONG, "the collection run; null for episodes submitted without a run"),
            required("group_id", STRING, "samples of one problem in one run (GRPO group)"),
            required("sample_index", INT, "index of the sample within its group"),
            required("problem_id", STRING, "AIOpsLab problem id"),
            required("task_type", STRING, "detection, localization, analysis or mitigation"),
            required("application", STRING, "AIOpsLab application"),
            required("model", STRING, "model requested"), required("policy", STRING, "policy (openai, scripted)"),
            required("sampling", SAMPLING, "sampling configuration"),
            required("messages", array(MESSAGE), "the conversation in order"),
            nullable("tools", STRING, "JSON array of the tools offered (OpenAI schema), null for the text protocol"),
            required("success", BOOLEAN, "graded success; false for failed and timed-out episodes"),
            nullable("reward", DOUBLE, "reward from the environment's evaluation"),
            nullable("evaluation", STRING, "JSON object of the evaluation results (or the failure reason)"),
            required("num_turns", INT, "assistant messages"),
            required("usage", USAGE, "token totals of the conversation"),
            nullable("cost_usd", DOUBLE, "cost in USD; null when a model had no price"),
            required("latency_ms", LONG, "sum of the LLM calls' latencies"),
            required("started_at", TIMESTAMP, "conversation start (UTC)"),
            nullable("ended_at", TIMESTAMP, "conversation end (UTC)"),
            required("run_date", DATE, "partition value"),
            required("schema_version", INT, "dataset schema version"),
            nullable("prompt_ids", array(INT), "token ids of the first prompt, when captured"),
            nullable("response_ids", array(INT), "token ids after the prompt (responses and observations)"),
            nullable("response_mask", array(INT), "1 for model-generated tokens, 0 for observation tokens"),
            nullable("response_logprobs", array(DOUBLE), "logprob per response token (0 where mask is 0)"));

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public GenericRecord toRecord(Trajectory t) {
        EpisodeRow e = t.episode();
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("trajectory_id", e.conversationId().toString());
        r.put("run_id", e.runId());
        r.put("group_id", e.groupId());
        r.put("sample_index", e.sampleIndex());
        r.put("problem_id", e.problemId());
        r.put("task_type", e.taskType());
        r.put("application", e.application());
        r.put("model", e.model());
        r.put("policy", e.policy());
        r.put("sampling", sampling(Json.sampling(e.sampling())));
        r.put("messages", MessageRecords.messages(MESSAGE, t.messages()));
        r.put("tools", e.tools());
        r.put("success", Boolean.TRUE.equals(e.success()) && "completed".equals(e.status()));
        r.put("reward", e.reward());
        r.put("evaluation", evaluation(e));
        r.put("num_turns", t.numTurns());
        r.put("usage", usage(e.usage()));
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
        if (e.evaluation() != null || "completed".equals(e.status())) {
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

    static GenericRecord usage(EpisodeRow.Usage u) {
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
