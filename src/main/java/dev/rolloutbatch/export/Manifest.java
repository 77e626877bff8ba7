package dev.rolloutbatch.export;

import java.time.Instant;
import java.time.LocalDate;

import org.apache.avro.Schema;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code _manifest.json}: what a partition holds, written before {@code _SUCCESS}. */
final class Manifest {

    private Manifest() {
    }

    static String json(ExportParameters parameters, Schema schema, LocalDate date, PartitionStats stats,
            Instant createdAt) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("schema_version", DatasetRecords.SCHEMA_VERSION);
        root.put("format", parameters.format().id());
        root.put("run_date", date.toString());
        root.put("created_at", createdAt.toString());
        root.put("compression", parameters.compression().id());
        root.put("only_successful", parameters.onlySuccessful());
        ArrayNode files = root.putArray("files");
        for (PartitionStats.PartFile file : stats.files()) {
            files.addObject().put("path", file.name()).put("rows", file.rows()).put("bytes", file.bytes());
        }
        root.put("total_rows", stats.files().stream().mapToLong(PartitionStats.PartFile::rows).sum());
        EpisodeRow.Usage u = stats.usage();
        root.putObject("tokens").put("input_uncached", u.inputUncached()).put("cache_read", u.cacheRead())
                .put("cache_write", u.cacheWrite()).put("output", u.output()).put("reasoning", u.reasoning());
        root.put("cost_usd", stats.cost());
        root.put("episodes_without_cost", stats.rowsWithoutCost());
        ArrayNode runs = root.putArray("source_run_ids");
        stats.runIds().forEach(runs::add);
        root.put("episodes_without_run", stats.episodesWithoutRun());
        root.set("avro_schema", Json.MAPPER.readTree(schema.toString()));
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
