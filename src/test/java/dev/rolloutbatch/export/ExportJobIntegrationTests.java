package dev.rolloutbatch.export;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import dev.rolloutbatch.DatabaseCleaner;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.conversation.ConversationLog;

import static dev.rolloutbatch.export.DuckDb.parquet;
import static dev.rolloutbatch.export.DuckDb.query;
import static dev.rolloutbatch.export.DuckDb.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@SpringBootTest
@ActiveProfiles("pgtest")
class ExportJobIntegrationTests {

    static final LocalDate DAY = LocalDate.of(2026, 11, 25);

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier(ExportJobConfiguration.JOB_NAME)
    Job exportJob;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ConversationLog log;

    @Autowired
    ProblemCatalog catalog;

    @TempDir
    Path out;

    ConversationFixtures.Standard data;

    @BeforeEach
    void seed() {
        DatabaseCleaner.clean(jdbc);
        data = new ConversationFixtures(jdbc, log).standard(DAY);
    }

    JobExecution export(String format) throws Exception {
        return ExportTestSupport.export(jobOperator, exportJob, DAY, out, format, b -> {
        });
    }

    Path partition(String format) {
        return out.resolve(format).resolve("data").resolve(DAY.toString());
    }

    Path markers(String format) {
        return out.resolve(format).resolve("_manifests").resolve(DAY.toString());
    }

    @Test
    void trajectoriesHaveTheContractLayoutAndSchema() throws Exception {
        assertThat(export("trajectories").getStatus()).isEqualTo(BatchStatus.COMPLETED);

        Path dir = partition("trajectories");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("part-00000.zstd.parquet");
        }
        try (Stream<Path> files = Files.list(markers("trajectories"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("_manifest.json", "_SUCCESS");
        }
        try (Stream<Path> entries = Files.list(out.resolve("trajectories"))) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("README.md", "data", "_manifests");
        }
        Map<String, String> types = DuckDb.describe(dir);
        assertThat(types.keySet()).containsExactly("trajectory_id", "index", "run_id", "group_id", "sample_index",
                "problem_id", "task_type", "application", "split", "model", "policy", "protocol", "sampling",
                "messages", "tools", "status", "failure_class", "success", "aiopslab_success", "reward", "evaluation",
                "submission", "max_steps", "steps_taken", "num_turns", "usage", "usage_estimated", "finish_reasons",
                "cost_usd", "latency_ms", "started_at", "ended_at", "run_date", "schema_version", "prompt_ids",
                "response_ids", "response_mask", "response_logprobs");
        assertThat(types.get("messages")).startsWith("STRUCT(role VARCHAR, content VARCHAR").endsWith("[]")
                .contains("tool_calls STRUCT(id VARCHAR, type VARCHAR, function STRUCT(name VARCHAR, arguments JSON))[]");
        // Parquet's JSON logical type on every free-form JSON column, which DuckDB types as JSON
        assertThat(types.get("tools")).isEqualTo("JSON");
        assertThat(types.get("evaluation")).isEqualTo("JSON");
        assertThat(types.get("reward")).isEqualTo("DOUBLE");
        assertThat(types.get("finish_reasons")).isEqualTo("VARCHAR[]");
        assertThat(types.get("sampling")).isEqualTo("STRUCT(temperature DOUBLE, top_p DOUBLE, max_tokens INTEGER, seed BIGINT)");
        assertThat(types.get("usage")).startsWith("STRUCT(input_uncached BIGINT");
        assertThat(types.get("started_at")).isEqualTo("TIMESTAMP WITH TIME ZONE");
        assertThat(types.get("run_date")).isEqualTo("DATE");
        assertThat(types.get("prompt_ids")).isEqualTo("INTEGER[]");
        assertThat(types.get("cost_usd")).isEqualTo("DOUBLE");
        assertThat(types.values()).noneMatch(t -> t.contains("MAP("));
        // Parquet metadata: ZSTD everywhere, 3-level lists (…/list/element), timestamps in micros UTC
        String file = dir.resolve("part-00000.zstd.parquet").toString();
        assertThat(query("SELECT DISTINCT compression FROM parquet_metadata('" + file + "')"))
                .extracting(r -> r.get("compression")).containsExactly("ZSTD");
        assertThat(query("SELECT path_in_schema FROM parquet_metadata('" + file + "') WHERE path_in_schema LIKE 'messages%role'"))
                .extracting(r -> r.get("path_in_schema")).containsExactly("messages, list, element, role");
        assertThat(single("SELECT logical_type FROM parquet_schema('" + file + "') WHERE name = 'started_at'").toString())
                .contains("isAdjustedToUTC=1").contains("MICROS");
        assertThat(query("SELECT name, converted_type FROM parquet_schema('" + file + "') WHERE converted_type = 'JSON'"))
                .extracting(r -> r.get("name")).containsExactlyInAnyOrder("arguments", "tools", "evaluation");
        String card = Files.readString(out.resolve("trajectories/README.md"));
        assertThat(card).startsWith("---\n").contains("configs:", "path: \"data/*/*.parquet\"",
                "| `failure_class` | string, nullable |", "| `tools` | json, nullable |", "| " + DAY + " | 7 |",
                "## Changes from schema version 1");
    }

    @Test
    void trajectoriesHoldTheSelectedEpisodesWithTheirConversations() throws Exception {
        export("trajectories");
        String table = parquet(partition("trajectories"));

        assertThat(query("SELECT trajectory_id FROM " + table)).extracting(r -> r.get("trajectory_id"))
                .containsExactlyInAnyOrder(data.successWithTokens().toString(), data.textFailure().toString(),
                        data.retried().toString(), data.failed().toString(), data.timeout().toString(),
                        data.unpriced().toString(), data.http().toString());

        Map<String, Object> tools = query("""
                SELECT run_id, problem_id, protocol, status, split, finish_reasons::VARCHAR AS finish_reasons,
                    usage_estimated, task_type, model, policy, sampling.temperature AS temperature,
                    sampling.max_tokens AS max_tokens, len(messages) AS n, messages[3].role AS r3,
                    messages[3].content AS c3, messages[3].tool_calls[1].function.name AS fn,
                    messages[3].tool_calls[1].function.arguments AS args, messages[4].tool_call_id AS tcid,
                    messages[4].content AS observation, messages[1].tool_calls AS no_calls, messages[5].step AS step,
                    success, reward, num_turns, latency_ms, epoch_us(started_at) AS started, run_date,
                    schema_version, prompt_ids::VARCHAR AS prompt_ids, response_ids::VARCHAR AS response_ids,
                    response_mask::VARCHAR AS mask, response_logprobs::VARCHAR AS logprobs, tools
                FROM %s WHERE trajectory_id = '%s'""".formatted(table, data.successWithTokens())).getFirst();
        assertThat(tools).containsEntry("run_id", data.runA()).containsEntry("problem_id", ConversationFixtures.DETECTION)
                .containsEntry("task_type", "detection").containsEntry("model", "gpt-4o").containsEntry("policy", "openai")
                .containsEntry("temperature", 0.7).containsEntry("max_tokens", 1024).containsEntry("n", 6L)
                .containsEntry("r3", "assistant").containsEntry("fn", "get_logs").containsEntry("tcid", "call_1")
                .containsEntry("observation", "connection refused on port 9090 (ünïcödé ✓)")
                .containsEntry("no_calls", null).containsEntry("step", 2).containsEntry("success", true)
                .containsEntry("reward", 1.0).containsEntry("num_turns", 2).containsEntry("latency_ms", 850L + 950L)
                .containsEntry("schema_version", 2).containsEntry("protocol", "tools")
                .containsEntry("status", "completed").containsEntry("finish_reasons", "[tool_calls, tool_calls]")
                .containsEntry("usage_estimated", false)
                .containsEntry("split", new Splits(SplitBy.FAMILY, 0.1, 0.1, catalog).of(ConversationFixtures.DETECTION))
                .containsEntry("started", ConversationFixtures.instant(DAY, 101).toEpochMilli() * 1000)
                .containsEntry("prompt_ids", "[1, 2, 3]").containsEntry("response_ids", "[10, 11, 20, 21, 12, 13, 14]")
                .containsEntry("mask", "[1, 1, 0, 0, 1, 1, 1]")
                .containsEntry("logprobs", "[-0.5, -0.25, 0.0, 0.0, -0.1, -0.2, -0.3]");
        assertThat(tools.get("c3")).isNull();
        assertThat(Json.tree((String) tools.get("args")).get("service").asString()).isEqualTo("user-service");
        assertThat(Json.tree((String) tools.get("tools")).get(0).path("function").get("name").asString()).isEqualTo("get_logs");
        assertThat(tools.get("run_date").toString()).isEqualTo("2026-11-25");

        Map<String, Object> text = query("SELECT tools, prompt_ids, success, messages[3].content AS c FROM " + table
                + " WHERE trajectory_id = '" + data.textFailure() + "'").getFirst();
        assertThat(text).containsEntry("tools", null).containsEntry("prompt_ids", null).containsEntry("success", false);
        assertThat((String) text.get("c")).contains("get_logs(");

        Map<String, Object> failed = query("SELECT success, reward, status, evaluation FROM " + table
                + " WHERE trajectory_id = '" + data.failed() + "'").getFirst();
        assertThat(failed).containsEntry("success", false).containsEntry("reward", 0.0)
                .containsEntry("status", "failed");
        assertThat((String) failed.get("evaluation")).contains("LLM unavailable");

        assertThat(single("SELECT cost_usd IS NULL FROM " + table + " WHERE trajectory_id = '" + data.unpriced() + "'"))
                .isEqualTo(true);
        assertThat(single("SELECT run_id IS NULL FROM " + table + " WHERE trajectory_id = '" + data.http() + "'"))
                .isEqualTo(true);
    }

    @Test
    void tokensAndCostEqualTheDatabasePerRowAndInTotal() throws Exception {
        export("trajectories");
        Path dir = partition("trajectories");
        List<Map<String, Object>> rows = query("""
                SELECT trajectory_id, usage.input_uncached AS iu, usage.cache_read AS cr, usage.cache_write AS cw,
                    usage.output AS o, usage.reasoning AS r, cost_usd FROM %s""".formatted(parquet(dir)));
        BigDecimal dbTotal = BigDecimal.ZERO;
        for (Map<String, Object> row : rows) {
            Map<String, Object> db = jdbc.queryForMap("""
                    SELECT SUM(input_uncached_tokens) AS iu, SUM(cache_read_tokens) AS cr, SUM(cache_write_tokens) AS cw,
                        SUM(output_tokens) AS o, SUM(reasoning_tokens) AS r,
                        CASE WHEN COUNT(*) = COUNT(cost_usd) THEN SUM(cost_usd) END AS cost
                    FROM llm_call WHERE conversation_id = CAST(? AS UUID)""", row.get("trajectory_id"));
            for (String bucket : List.of("iu", "cr", "cw", "o", "r")) {
                assertThat(((Number) row.get(bucket)).longValue()).as(bucket)
                        .isEqualTo(((Number) db.get(bucket)).longValue());
            }
            BigDecimal cost = (BigDecimal) db.get("cost");
            if (cost == null) {
                assertThat(row.get("cost_usd")).isNull();
            }
            else {
                assertThat((Double) row.get("cost_usd")).isCloseTo(cost.doubleValue(), within(1e-12));
                dbTotal = dbTotal.add(cost);
            }
        }
        JsonNode manifest = Json.MAPPER.readTree(markers("trajectories").resolve("_manifest.json").toFile());
        assertThat(manifest.get("total_rows").asLong()).isEqualTo(7);
        assertThat(manifest.get("files").get(0).get("rows").asLong()).isEqualTo(7);
        assertThat(manifest.get("format").asString()).isEqualTo("trajectories");
        assertThat(manifest.get("schema_version").asInt()).isEqualTo(2);
        assertThat(manifest.get("rows_by_status").get("completed").asLong()
                + manifest.get("rows_by_status").path("failed").asLong()
                + manifest.get("rows_by_status").path("timeout").asLong()).isEqualTo(7);
        assertThat(manifest.get("episodes_without_conversation").asLong()).isZero();
        assertThat(manifest.get("split").get("by").asString()).isEqualTo("family");
        assertThat(manifest.get("cost_usd").decimalValue()).isEqualByComparingTo(dbTotal);
        assertThat(manifest.get("episodes_without_cost").asLong()).isEqualTo(1);
        assertThat(manifest.get("tokens").get("output").asLong()).isEqualTo(((Number) single(
                "SELECT SUM(usage.output) FROM " + parquet(dir))).longValue()).isEqualTo(7 * 65);
        assertThat(manifest.get("source_run_ids").toString()).isEqualTo("[" + data.runA() + "," + data.runB() + "]");
        assertThat(manifest.get("avro_schema").get("type").asString()).isEqualTo("record");
        assertThat(manifest.has("created_at")).isTrue();
    }

    @Test
    void sftHoldsOnlySuccessfulConversationsInTrlShape() throws Exception {
        assertThat(export("sft").getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Path dir = partition("sft");
        assertThat(query("SELECT trajectory_id FROM " + parquet(dir))).extracting(r -> r.get("trajectory_id"))
                .containsExactlyInAnyOrder(data.successWithTokens().toString(), data.retried().toString(),
                        data.unpriced().toString(), data.http().toString());
        Map<String, String> types = DuckDb.describe(dir);
        assertThat(types.keySet()).startsWith("messages", "tools").contains("run_date", "schema_version");
        assertThat(types.get("messages")).isEqualTo("STRUCT(role VARCHAR, content VARCHAR, name VARCHAR, "
                + "tool_call_id VARCHAR, tool_calls STRUCT(id VARCHAR, type VARCHAR, function STRUCT(name "
                + "VARCHAR, arguments JSON))[])[]");
        assertThat(types.get("tools")).isEqualTo("JSON");
        assertThat(single("SELECT bool_and(success) FROM " + parquet(dir))).isEqualTo(true);
        // every row ends on an assistant message: the environment's last reply is not a training target
        assertThat(single("SELECT bool_and(messages[-1].role = 'assistant') FROM " + parquet(dir))).isEqualTo(true);
        assertThat(single("SELECT messages[5].tool_calls[1].function.name FROM " + parquet(dir)
                + " WHERE trajectory_id = '" + data.retried() + "'")).isEqualTo("submit");
    }

    @Test
    void verlHasOnePromptPerGroupWithGroundTruth() throws Exception {
        assertThat(export("verl").getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Path dir = partition("verl");
        assertThat(DuckDb.describe(dir)).containsEntry("prompt", "STRUCT(role VARCHAR, content VARCHAR)[]")
                .containsEntry("reward_model", "STRUCT(style VARCHAR, ground_truth JSON)")
                .containsEntry("data_source", "VARCHAR").containsEntry("ability", "VARCHAR");
        // run A: detection (2 samples → 1 prompt), localization, analysis, mitigation; run B detection; HTTP one
        assertThat(single("SELECT count(*) FROM " + parquet(dir))).isEqualTo(6L);
        assertThat(single("SELECT count(DISTINCT extra_info.index) FROM " + parquet(dir))).isEqualTo(6L);
        // the index is the id of the episode the prompt came from: stable however often the day is exported
        assertThat(single("SELECT extra_info.index FROM " + parquet(dir) + " WHERE extra_info.trajectory_id = '"
                + data.successWithTokens() + "'")).isEqualTo(jdbc.queryForObject(
                        "SELECT episode_id FROM conversation WHERE id = ?", Long.class, data.successWithTokens()));
        Map<String, Object> detection = query("""
                SELECT data_source, ability, len(prompt) AS n, prompt[1].role AS r1, prompt[2].role AS r2,
                    prompt[2].content AS task, reward_model.style AS style, reward_model.ground_truth AS gt,
                    extra_info.split AS split, extra_info.problem_id AS problem
                FROM %s WHERE extra_info.trajectory_id = '%s'""".formatted(parquet(dir), data.successWithTokens()))
                .getFirst();
        assertThat(detection).containsEntry("data_source", "aiopslab").containsEntry("ability", "aiops/detection")
                .containsEntry("n", 2L).containsEntry("r1", "system").containsEntry("r2", "user")
                .containsEntry("style", "rule")
                .containsEntry("split", new Splits(SplitBy.FAMILY, 0.1, 0.1, catalog).of(ConversationFixtures.DETECTION))
                .containsEntry("problem", ConversationFixtures.DETECTION);
        assertThat(Json.tree((String) detection.get("gt")).get("detection").asString()).isEqualTo("Yes");
        JsonNode analysis = Json.tree((String) single("SELECT reward_model.ground_truth FROM " + parquet(dir)
                + " WHERE extra_info.problem_id = '" + ConversationFixtures.ANALYSIS + "'"));
        assertThat(analysis.get("system_level").asString()).isEqualTo("Virtualization");
        assertThat(analysis.get("fault_type").asString()).isEqualTo("Misconfiguration");
    }

    @Test
    void runIdAndDateRangeSelectPartitions() throws Exception {
        ExportTestSupport.export(jobOperator, exportJob, DAY, out, "trajectories",
                b -> b.addLong("runId", data.runA()).addLong("maxRowsPerFile", 2L).addString("compression", "snappy"));
        Path dir = partition("trajectories");
        assertThat(single("SELECT count(*) FROM " + parquet(dir))).isEqualTo(5L);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")))
                    .containsExactlyInAnyOrder("part-00000.snappy.parquet", "part-00001.snappy.parquet",
                            "part-00002.snappy.parquet");
        }

        Path range = out.resolve("range");
        JobExecution execution = jobOperator.start(exportJob, new org.springframework.batch.core.job.parameters.JobParametersBuilder()
                .addString("from", DAY.minusDays(1).toString()).addString("to", DAY.toString())
                .addString("output", range.toString()).addLong("run.id", System.nanoTime()).toJobParameters());
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(single("SELECT count(*) FROM " + parquet(range.resolve("trajectories/data/" + DAY))))
                .isEqualTo(7L);
        assertThat(query("SELECT trajectory_id, run_date FROM "
                + parquet(range.resolve("trajectories/data/" + DAY.minusDays(1))))).singleElement()
                .satisfies(r -> assertThat(r.get("trajectory_id")).isEqualTo(data.otherDay().toString()));
    }

    @Test
    void formatAllWritesEveryFormatFromOneRead() throws Exception {
        assertThat(ExportTestSupport.export(jobOperator, exportJob, DAY, out, "all",
                b -> b.addString("failureReward", "-1")).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(single("SELECT count(*) FROM " + parquet(partition("trajectories")))).isEqualTo(7L);
        assertThat(single("SELECT count(*) FROM " + parquet(partition("sft")))).isEqualTo(4L);
        assertThat(single("SELECT count(*) FROM " + parquet(partition("verl")))).isEqualTo(6L);
        assertThat(single("SELECT reward FROM " + parquet(partition("trajectories")) + " WHERE trajectory_id = '"
                + data.failed() + "'")).isEqualTo(-1.0);
        for (String format : List.of("trajectories", "sft", "verl")) {
            assertThat(markers(format).resolve("_SUCCESS")).exists();
            assertThat(out.resolve(format).resolve("README.md")).content().contains("format=" + format);
        }
    }

    @Test
    void episodesThatNeverOpenedAConversationAreCountedInTheManifest() throws Exception {
        ConversationFixtures fixtures = new ConversationFixtures(jdbc, log);
        fixtures.episode(data.runA(), DAY, ConversationFixtures.ANALYSIS, 7, "failed", null, null, null,
                "environment: cannot start");
        fixtures.episode(data.runB(), DAY, ConversationFixtures.DETECTION, 7, "timeout", null, null, null, "timeout");
        fixtures.episode(data.runB(), DAY, ConversationFixtures.DETECTION, 8, "pending", null, null, null, null);
        export("trajectories");
        JsonNode manifest = Json.MAPPER.readTree(markers("trajectories").resolve("_manifest.json").toFile());
        assertThat(manifest.get("total_rows").asLong()).isEqualTo(7);
        assertThat(manifest.get("episodes_without_conversation").asLong()).isEqualTo(2);
    }
}
