package dev.rolloutbatch.export;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Writes one partition into its temporary directory: rolling part files of at most {@code maxRowsPerFile} rows,
 * then {@code _manifest.json} and, last, {@code _SUCCESS}.
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
        output.mkdirs(dir);
    }

    LocalDate date() {
        return date;
    }

    void write(GenericRecord record, EpisodeRow episode) throws IOException {
        if (current != null && currentRows >= parameters.maxRowsPerFile()) {
            closeCurrent();
        }
        if (current == null) {
            open();
        }
        current.write(record);
        currentRows++;
        stats.add(episode);
    }

    private void open() throws IOException {
        currentPath = new Path(dir, "part-%05d%s".formatted(nextPart++, parameters.compression().suffix()));
        current = AvroParquetWriter.<GenericRecord>builder(output.outputFile(currentPath))
                .withSchema(records.schema())
                .withDataModel(GenericData.get())
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
    PartitionStats finish(Instant createdAt) throws IOException {
        if (current != null) {
            closeCurrent();
        }
        output.writeText(new Path(dir, MANIFEST), Manifest.json(parameters, records.schema(), date, stats, createdAt));
        output.writeText(new Path(dir, SUCCESS), "");
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
