package dev.rolloutbatch.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dataset directory {@code <output>/<format>} on any Hadoop FileSystem. Partitions are written under
 * {@code <output>/<format>/_temporary/<execution>/run_date=YYYY-MM-DD} (readers skip names starting with '_') and
 * published by renaming: the previous partition is moved aside, the new one renamed into place, then the old one
 * deleted. On a local or HDFS file system each rename is atomic; on object stores (s3a) a rename is a copy, so
 * a reader may briefly see no partition, but never a partial one without {@code _SUCCESS}.
 */
final class DatasetOutput implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatasetOutput.class);

    static final String TEMPORARY = "_temporary";

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
            this.fs = base.getFileSystem(conf);
            this.root = fs.makeQualified(new Path(base, format.id()));
            this.staging = new Path(new Path(root, TEMPORARY), executionId);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot open output '" + output + "': " + ex.getMessage(), ex);
        }
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

    static String partitionName(LocalDate date) {
        return "run_date=" + date;
    }

    Path stagedPartition(LocalDate date) {
        return new Path(staging, partitionName(date));
    }

    Path publishedPartition(LocalDate date) {
        return new Path(root, partitionName(date));
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

    /** Replaces the published partition with the staged one. */
    void publish(LocalDate date) throws IOException {
        Path staged = stagedPartition(date);
        Path target = publishedPartition(date);
        Path replaced = new Path(staging, "replaced-" + partitionName(date));
        boolean hadPrevious = fs.exists(target);
        if (hadPrevious && !fs.rename(target, replaced)) {
            throw new IOException("cannot move the previous partition " + target + " aside");
        }
        if (!fs.rename(staged, target)) {
            if (hadPrevious && !fs.rename(replaced, target)) {
                log.error("Could not restore the previous partition {} from {}", target, replaced);
            }
            throw new IOException("cannot rename " + staged + " to " + target);
        }
        if (hadPrevious) {
            fs.delete(replaced, true);
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
