package dev.rolloutbatch.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.util.ReflectionUtils;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dataset directory {@code <output>/<format>} on any Hadoop FileSystem:
 * <pre>
 * README.md                              the dataset card
 * data/YYYY-MM-DD/part-NNNNN.zstd.parquet  the rows: the only files under data/, so every reader takes data/ as is
 * _manifests/YYYY-MM-DD/_manifest.json   what the partition holds, then _SUCCESS
 * _temporary/&lt;execution&gt;/...           staging, same shape
 * </pre>
 * The markers live outside {@code data/} because Hugging Face {@code datasets} and Polars try to read every file
 * of a directory they are given (only dot-files are skipped by the former, none by the latter), and the card too
 * because pyarrow reads every file not starting with '_' or '.'.
 * <p>
 * A partition is published by renaming: the previous markers are moved aside, the previous data directory is moved
 * aside, the new data directory renamed into place, then the new markers, then the old copies deleted. On a local
 * or HDFS file system each rename is atomic; on object stores (s3a) a rename is a copy, so a reader may briefly see
 * no partition, but never a partial one with {@code _SUCCESS}.
 */
final class DatasetOutput implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatasetOutput.class);

    static final String TEMPORARY = "_temporary";
    static final String DATA = "data";
    static final String MANIFESTS = "_manifests";
    static final String CARD = "README.md";

    private final Configuration conf;
    private final FileSystem fs;
    private final Path root;
    private final Path staging;

    DatasetOutput(String output, ExportFormat format, String executionId) {
        this(output, format, executionId, Map.of());
    }

    /** @param hadoop Hadoop settings on top of {@link #configuration()} (rollout.hadoop.conf) */
    DatasetOutput(String output, ExportFormat format, String executionId, Map<String, String> hadoop) {
        this.conf = configuration();
        hadoop.forEach(conf::set);
        try {
            Path base = new Path(output);
            if (base.toUri().getScheme() == null) {
                base = new Path(new java.io.File(output).getAbsoluteFile().toURI());
            }
            if (!"file".equals(base.toUri().getScheme())) {
                // s3a buffers upload blocks in local files through LocalFileSystem, which the raw local file
                // system (set for local outputs, to write no .crc files) cannot stand in for.
                conf.unset("fs.file.impl");
                conf.unset("fs.file.impl.disable.cache");
            }
            this.fs = fileSystem(base, conf);
            this.root = fs.makeQualified(new Path(base, format.id()));
            this.staging = new Path(new Path(root, TEMPORARY), executionId);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot open output '" + output + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * The output's file system. A local output on the raw local file system gets it directly: Hadoop's
     * {@code FileSystem.get} first loads and instantiates every file system it ships (s3a's AWS classes too), which
     * was 0.4 CPU-s of every export's start.
     */
    private static FileSystem fileSystem(Path base, Configuration conf) throws IOException {
        if (!"file".equals(base.toUri().getScheme())
                || !RawLocalFileSystem.class.getName().equals(conf.get("fs.file.impl"))) {
            return base.getFileSystem(conf);
        }
        FileSystem local = ReflectionUtils.newInstance(RawLocalFileSystem.class, conf);
        local.initialize(base.toUri(), conf);
        return local;
    }

    /** Hadoop configuration: Parquet's 3-level lists, and plain local files (no .crc side files). */
    static Configuration configuration() {
        Configuration conf = new Configuration();
        conf.setBoolean("parquet.avro.write-old-list-structure", false);
        conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        return conf;
    }

    Configuration conf() {
        return conf;
    }

    Path root() {
        return root;
    }

    /** A plain date, not {@code run_date=...}: a hive key would clash with the in-file {@code run_date} column. */
    static String partitionName(LocalDate date) {
        return date.toString();
    }

    Path stagedPartition(LocalDate date) {
        return new Path(new Path(staging, DATA), partitionName(date));
    }

    Path stagedMarkers(LocalDate date) {
        return new Path(new Path(staging, MANIFESTS), partitionName(date));
    }

    Path publishedPartition(LocalDate date) {
        return new Path(new Path(root, DATA), partitionName(date));
    }

    Path publishedMarkers(LocalDate date) {
        return new Path(new Path(root, MANIFESTS), partitionName(date));
    }

    Path card() {
        return new Path(root, CARD);
    }

    /** The dates published so far (the partitions with {@code _SUCCESS}), in order. */
    List<LocalDate> publishedDates() throws IOException {
        Path manifests = new Path(root, MANIFESTS);
        if (!fs.exists(manifests)) {
            return List.of();
        }
        List<LocalDate> dates = new ArrayList<>();
        for (FileStatus status : fs.listStatus(manifests)) {
            try {
                LocalDate date = LocalDate.parse(status.getPath().getName());
                if (fs.exists(new Path(status.getPath(), PartitionWriter.SUCCESS))) {
                    dates.add(date);
                }
            }
            catch (DateTimeParseException ex) {
                // not a partition
            }
        }
        Collections.sort(dates);
        return dates;
    }

    Path readManifest(LocalDate date) {
        return new Path(publishedMarkers(date), PartitionWriter.MANIFEST);
    }

    String readText(Path path) throws IOException {
        try (var in = fs.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Writes a small text file in place of the previous one (the card is regenerated by every export). */
    void replaceText(Path path, String text) throws IOException {
        try (OutputStream out = fs.create(path, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    OutputFile outputFile(Path path) {
        return new OutputFile() {
            @Override
            public PositionOutputStream create(long blockSizeHint) throws IOException {
                return HadoopStreams.wrap(fs.create(path, false));
            }

            @Override
            public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
                return HadoopStreams.wrap(fs.create(path, true));
            }

            @Override
            public boolean supportsBlockSize() {
                return false;
            }

            @Override
            public long defaultBlockSize() {
                return 0;
            }

            @Override
            public String getPath() {
                return path.toString();
            }
        };
    }

    long length(Path path) throws IOException {
        return fs.getFileStatus(path).getLen();
    }

    void writeText(Path path, String text) throws IOException {
        try (OutputStream out = fs.create(path, false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    void mkdirs(Path dir) throws IOException {
        if (!fs.mkdirs(dir)) {
            throw new IOException("cannot create directory " + dir);
        }
    }

    /** Replaces the published partition and its markers with the staged ones; {@code _SUCCESS} comes last. */
    void publish(LocalDate date) throws IOException {
        Path oldMarkers = new Path(staging, "replaced-markers-" + partitionName(date));
        boolean hadMarkers = moveAside(publishedMarkers(date), oldMarkers);
        replace(stagedPartition(date), publishedPartition(date),
                new Path(staging, "replaced-data-" + partitionName(date)));
        fs.mkdirs(publishedMarkers(date).getParent());
        if (!fs.rename(stagedMarkers(date), publishedMarkers(date))) {
            throw new IOException("cannot rename " + stagedMarkers(date) + " to " + publishedMarkers(date));
        }
        if (hadMarkers) {
            fs.delete(oldMarkers, true);
        }
    }

    private boolean moveAside(Path target, Path aside) throws IOException {
        if (!fs.exists(target)) {
            return false;
        }
        if (!fs.rename(target, aside)) {
            throw new IOException("cannot move " + target + " aside");
        }
        return true;
    }

    private void replace(Path staged, Path target, Path aside) throws IOException {
        boolean hadPrevious = moveAside(target, aside);
        fs.mkdirs(target.getParent());
        if (!fs.rename(staged, target)) {
            if (hadPrevious && !fs.rename(aside, target)) {
                log.error("Could not restore the previous partition {} from {}", target, aside);
            }
            throw new IOException("cannot rename " + staged + " to " + target);
        }
        if (hadPrevious) {
            fs.delete(aside, true);
        }
    }

    /** Deletes this execution's temporary directory (and {@code _temporary} itself when it is left empty). */
    void deleteStaging() {
        try {
            if (fs.exists(staging)) {
                fs.delete(staging, true);
            }
            Path temporary = staging.getParent();
            if (fs.exists(temporary) && fs.listStatus(temporary).length == 0) {
                fs.delete(temporary, false);
            }
        }
        catch (IOException ex) {
            log.warn("Could not delete the temporary export directory {}: {}", staging, ex.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            fs.close();
        }
        catch (IOException ex) {
            log.debug("Closing the file system failed", ex);
        }
    }
}
