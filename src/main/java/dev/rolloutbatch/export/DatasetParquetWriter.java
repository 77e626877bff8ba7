package dev.rolloutbatch.export;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;

/**
 * parquet-avro's writer with the dataset's Parquet schema: the Avro schema converted as
 * {@code AvroParquetWriter} would (3-level lists from the configuration), plus the JSON logical type on JSON
 * columns ({@link JsonColumns}).
 */
final class DatasetParquetWriter extends ParquetWriter.Builder<GenericRecord, DatasetParquetWriter> {

    private final Schema schema;

    private DatasetParquetWriter(OutputFile file, Schema schema) {
        super(file);
        this.schema = schema;
    }

    static DatasetParquetWriter builder(OutputFile file, Schema schema) {
        return new DatasetParquetWriter(file, schema);
    }

    @Override
    protected DatasetParquetWriter self() {
        return this;
    }

    @Override
    protected WriteSupport<GenericRecord> getWriteSupport(Configuration conf) {
        return new AvroWriteSupport<>(JsonColumns.annotate(new AvroSchemaConverter(conf).convert(schema), schema),
                schema, GenericData.get());
    }

    @Override
    protected WriteSupport<GenericRecord> getWriteSupport(ParquetConfiguration conf) {
        return new AvroWriteSupport<>(JsonColumns.annotate(new AvroSchemaConverter(conf).convert(schema), schema),
                schema, GenericData.get());
    }
}
