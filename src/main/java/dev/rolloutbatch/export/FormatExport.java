package dev.rolloutbatch.export;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of an export that writes one format: its partitions in the temporary directory, then published
 * together with the format's dataset card. Rows arrive in partition order, so at most one Parquet writer is open.
 */
final class FormatExport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FormatExport.class);

    private final ExportParameters parameters;
    private final ExportProperties properties;
    private final DatasetRecords records;
    private final DatasetOutput output;
    private final boolean onlySuccessful;
    private final Map<LocalDate, Long> withoutConversation;
    private final Map<LocalDate, PartitionStats> finished = new TreeMap<>();
    private PartitionWriter current;

    FormatExport(ExportParameters parameters, ExportProperties properties, DatasetRecords records,
            DatasetOutput output, Map<LocalDate, Long> withoutConversation) {
        this.withoutConversation = withoutConversation;
        this.parameters = parameters;
        this.properties = properties;
        this.records = records;
        this.output = output;
        this.onlySuccessful = parameters.onlySuccessful(records.format());
    }

    ExportFormat format() {
        return records.format();
    }

    /** Writes the trajectory's row, if this format has one for it; returns whether it did. */
    boolean write(Trajectory trajectory, String split) throws IOException {
        EpisodeRow episode = trajectory.episode();
        if (onlySuccessful && !episode.succeeded()) {
            return false;
        }
        GenericRecord record = records.toRecord(trajectory, split);
        if (record == null) {
            return false;
        }
        if (current == null || !current.date().equals(episode.runDate())) {
            finishCurrent();
            if (finished.containsKey(episode.runDate())) {
                throw new IllegalStateException("rows of " + episode.runDate() + " arrived out of order");
            }
            current = new PartitionWriter(output, parameters, properties, records, episode.runDate());
        }
        current.write(record, episode, split);
        return true;
    }

    private void finishCurrent() throws IOException {
        if (current != null) {
            finished.put(current.date(), current.finish(Instant.now(),
                    withoutConversation.getOrDefault(current.date(), 0L)));
            current = null;
        }
    }

    /** Completes the last partition, renames every partition into place and rewrites the dataset card. */
    Map<LocalDate, PartitionStats> publish(Instant at) throws IOException {
        finishCurrent();
        for (LocalDate date : finished.keySet()) {
            output.publish(date);
            log.info("Published {} ({} rows)", output.publishedPartition(date), finished.get(date).rows());
        }
        Published published = published();
        if (!published.rows().isEmpty()) {
            output.replaceText(output.card(),
                    DatasetCard.markdown(records, parameters, published.rows(), published.bytes(), at));
        }
        return Map.copyOf(finished);
    }

    /** Every published partition of this format's root (this export's and earlier ones): rows, and all their bytes. */
    private record Published(Map<LocalDate, Long> rows, long bytes) {
    }

    private Published published() throws IOException {
        Map<LocalDate, Long> rows = new TreeMap<>();
        long bytes = 0;
        for (LocalDate date : output.publishedDates()) {
            var manifest = Json.tree(output.readText(output.readManifest(date)));
            rows.put(date, manifest == null ? 0 : manifest.path("total_rows").asLong());
            if (manifest != null) {
                for (var file : manifest.path("files")) {
                    bytes += file.path("bytes").asLong();
                }
            }
        }
        return new Published(rows, bytes);
    }

    boolean wroteAnything() {
        return current != null || !finished.isEmpty();
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
        output.deleteStaging();
        output.close();
    }
}
