package dev.rolloutbatch.export;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Writes one partition of one format into the temporary directory: rolling part files of at most
 * {@code maxRowsPerFile} rows, then {@code _manifest.json} and, last, {@code _SUCCESS} beside them (see
 * {@link DatasetOutput} for where each goes).
 */
final class PartitionWriter implements AutoCloseable {

    static final String MANIFEST = "_manifest.json";
    static final String SUCCESS = "_SUCCESS";

    private final DatasetOutput output;
    private final ExportParameters parameters;
    private final ExportProperties properties;
    private final DatasetRecords records;
    private final LocalDate date;
    private final Path dir;
    private final Path markers;
    private final PartitionStats stats = new PartitionStats();
    private ParquetWriter<GenericRecord> current;
    private Path currentPath;
    private long currentRows;
    private int nextPart;

    PartitionWriter(DatasetOutput output, ExportParameters parameters, ExportProperties properties,
            DatasetRecords records, LocalDate date) throws IOException {
        this.output = output;
        this.parameters = parameters;
        this.properties = properties;
        this.records = records;
        this.date = date;
        this.dir = output.stagedPartition(date);
        this.markers = output.stagedMarkers(date);
        output.mkdirs(dir);
        output.mkdirs(markers);
    }

    LocalDate date() {
        return date;
    }

    void write(GenericRecord record, EpisodeRow episode, String split) throws IOException {
        if (current != null && currentRows >= parameters.maxRowsPerFile()) {
            closeCurrent();
        }
        if (current == null) {
            open();
        }
        current.write(record);
        currentRows++;
        stats.add(episode, split);
    }

    private void open() throws IOException {
        currentPath = new Path(dir, "part-%05d%s".formatted(nextPart++, parameters.compression().suffix()));
        current = DatasetParquetWriter.builder(output.outputFile(currentPath), records.schema())
                .withConf(output.conf())
                .withCompressionCodec(parameters.compression().codec())
                .withRowGroupSize(properties.rowGroupBytes())
                .withPageSize(properties.pageBytes())
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .build();
        currentRows = 0;
    }

    private void closeCurrent() throws IOException {
        ParquetWriter<GenericRecord> writer = current;
        current = null;
        writer.close();
        stats.addFile(new PartitionStats.PartFile(currentPath.getName(), currentRows, output.length(currentPath)));
    }

    /** Closes the last part file, then writes the manifest and {@code _SUCCESS}. */
    PartitionStats finish(Instant createdAt, long episodesWithoutConversation) throws IOException {
        if (current != null) {
            closeCurrent();
        }
        stats.episodesWithoutConversation(episodesWithoutConversation);
        output.writeText(new Path(markers, MANIFEST), Manifest.json(parameters, records, date, stats, createdAt));
        output.writeText(new Path(markers, SUCCESS), "");
        return stats;
    }

    /** Abandons the partition (its temporary directory is deleted with the rest). */
    @Override
    public void close() {
        if (current != null) {
            try {
                current.close();
            }
            catch (IOException | RuntimeException ex) {
                // abandoned anyway
            }
            current = null;
        }
    }
}
