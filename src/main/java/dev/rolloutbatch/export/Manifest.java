package dev.rolloutbatch.export;

import java.time.Instant;
import java.time.LocalDate;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.conversation.Usage;

/** {@code _manifest.json}: what a partition of one format holds, written before {@code _SUCCESS}. */
final class Manifest {

    private Manifest() {
    }

    static String json(ExportParameters parameters, DatasetRecords records, LocalDate date, PartitionStats stats,
            Instant createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema_version", DatasetRecords.SCHEMA_VERSION);
        root.put("format", records.format().id());
        root.put("run_date", date.toString());
        root.put("created_at", createdAt.toString());
        root.put("compression", parameters.compression().id());
        root.put("only_successful", parameters.onlySuccessful(records.format()));
        root.put("failure_reward", parameters.failureReward());
        ArrayNode files = root.putArray("files");
        for (PartitionStats.PartFile file : stats.files()) {
            files.addObject().put("path", "data/" + date + "/" + file.name()).put("rows", file.rows())
                .put("bytes", file.bytes());
        }
        root.put("total_rows", stats.files().stream().mapToLong(PartitionStats.PartFile::rows).sum());
        ObjectNode statuses = root.putObject("rows_by_status");
        stats.statuses().forEach(statuses::put);
        ObjectNode split = root.putObject("split");
        split.put("by", parameters.splitBy().id()).put("validation_ratio", parameters.validationRatio())
            .put("test_ratio", parameters.testRatio());
        ObjectNode splitRows = split.putObject("rows");
        stats.splits().forEach(splitRows::put);
        Usage u = stats.usage();
        root.putObject("tokens").put("input_uncached", u.inputUncached()).put("cache_read", u.cacheRead())
            .put("cache_write", u.cacheWrite()).put("output", u.output()).put("reasoning", u.reasoning());
        root.put("cost_usd", stats.cost());
        root.put("episodes_without_cost", stats.rowsWithoutCost());
        ArrayNode runs = root.putArray("source_run_ids");
        stats.runIds().forEach(runs::add);
        root.put("episodes_without_run", stats.episodesWithoutRun());
        root.put("episodes_without_conversation", stats.episodesWithoutConversation());
        root.set("avro_schema", Json.MAPPER.readTree(records.schema().toString()));
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
