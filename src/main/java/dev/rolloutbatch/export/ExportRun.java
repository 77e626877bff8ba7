package dev.rolloutbatch.export;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One export job execution: the partitions written so far into the temporary directory, then published together.
 * Rows arrive in partition order, so at most one Parquet writer is open at a time. {@link #close()} (at the end
 * of the job) deletes whatever was not published, so a failed export leaves the previous partitions intact.
 */
class ExportRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExportRun.class);

    private final ExportParameters parameters;
    private final ExportProperties properties;
    private final DatasetRecords records;
    private final DatasetOutput output;
    private final ExportHook hook;
    private final Clock clock;
    private final Map<LocalDate, PartitionStats> finished = new TreeMap<>();
    private PartitionWriter current;
    private long rows;
    private boolean published;

    ExportRun(ExportParameters parameters, ExportProperties properties, DatasetRecords records,
            DatasetOutput output, ExportHook hook, Clock clock) {
        this.parameters = parameters;
        this.properties = properties;
        this.records = records;
        this.output = output;
        this.hook = hook;
        this.clock = clock;
    }

    ExportParameters parameters() {
        return parameters;
    }

    void write(List<Trajectory> trajectories) throws IOException {
        for (Trajectory trajectory : trajectories) {
            EpisodeRow episode = trajectory.episode();
            GenericRecord record = records.toRecord(trajectory);
            if (record == null) {
                continue;
            }
            if (current == null || !current.date().equals(episode.runDate())) {
                finishCurrent();
                if (finished.containsKey(episode.runDate())) {
                    throw new IllegalStateException("rows of " + episode.runDate() + " arrived out of order");
                }
                current = new PartitionWriter(output, parameters, properties, records, episode.runDate());
            }
            current.write(record, episode);
            hook.rowWritten(++rows);
        }
    }

    private void finishCurrent() throws IOException {
        if (current != null) {
            finished.put(current.date(), current.finish(clock.instant()));
            current = null;
        }
    }

    /** Completes the last partition and renames every partition into place. */
    Map<LocalDate, PartitionStats> publish() throws IOException {
        finishCurrent();
        List<LocalDate> done = new ArrayList<>();
        for (LocalDate date : finished.keySet()) {
            output.publish(date);
            done.add(date);
            log.info("Published {} ({} rows)", output.publishedPartition(date), finished.get(date).rows());
        }
        published = true;
        if (finished.isEmpty()) {
            log.warn("Nothing to export for {} to {}{}: no partition written", parameters.from(), parameters.to(),
                    parameters.runId() == null ? "" : " (run " + parameters.runId() + ")");
        }
        return Map.copyOf(finished);
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
        if (!published && (rows > 0 || !finished.isEmpty())) {
            log.warn("Export did not complete; the temporary files are deleted and the previous partitions kept");
        }
        output.deleteStaging();
        output.close();
    }
}
