package dev.rolloutbatch.export;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One export job execution: every requested format's partitions written into the temporary directories, then
 * published together. {@link #close()} (at the end of the job) deletes whatever was not published, so a failed
 * export leaves the previous partitions intact.
 */
class ExportRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExportRun.class);

    private final ExportParameters parameters;
    private final List<FormatExport> formats;
    private final Splits splits;
    private final ExportHook hook;
    private final Clock clock;
    private long rows;
    private boolean published;

    ExportRun(ExportParameters parameters, List<FormatExport> formats, Splits splits, ExportHook hook,
            Clock clock) {
        this.parameters = parameters;
        this.formats = List.copyOf(formats);
        this.splits = splits;
        this.hook = hook;
        this.clock = clock;
    }

    ExportParameters parameters() {
        return parameters;
    }

    void write(List<Trajectory> trajectories) throws IOException {
        for (Trajectory trajectory : trajectories) {
            String split = splits.of(trajectory.episode().problemId());
            for (FormatExport format : formats) {
                if (format.write(trajectory, split)) {
                    hook.rowWritten(++rows);
                }
            }
        }
    }

    /** Completes the last partitions and renames every partition of every format into place. */
    Map<ExportFormat, Map<LocalDate, PartitionStats>> publish() throws IOException {
        Map<ExportFormat, Map<LocalDate, PartitionStats>> all = new TreeMap<>();
        for (FormatExport format : formats) {
            all.put(format.format(), format.publish(clock.instant()));
        }
        published = true;
        if (all.values().stream().allMatch(Map::isEmpty)) {
            log.warn("Nothing to export for {} to {}{}: no partition written", parameters.from(), parameters.to(),
                    parameters.runId() == null ? "" : " (run " + parameters.runId() + ")");
        }
        return all;
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() {
        boolean wrote = formats.stream().anyMatch(FormatExport::wroteAnything);
        if (!published && (rows > 0 || wrote)) {
            log.warn("Export did not complete; the temporary files are deleted and the previous partitions kept");
        }
        formats.forEach(FormatExport::close);
    }
}
