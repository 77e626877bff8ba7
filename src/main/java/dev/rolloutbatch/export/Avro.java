package dev.rolloutbatch.export;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.Schema.Type;

/**
 * Small helpers for the Avro schemas of the datasets: only records, arrays, primitives, timestamp-micros, date
 * and JSON strings, per DESIGN §5 (no maps, no enums, no UUID logical type).
 */
final class Avro {

    static final String NAMESPACE = "dev.rolloutbatch.dataset";

    static final Schema STRING = Schema.create(Type.STRING);
    static final Schema INT = Schema.create(Type.INT);
    static final Schema LONG = Schema.create(Type.LONG);
    static final Schema DOUBLE = Schema.create(Type.DOUBLE);
    static final Schema BOOLEAN = Schema.create(Type.BOOLEAN);
    static final Schema TIMESTAMP = LogicalTypes.timestampMicros().addToSchema(Schema.create(Type.LONG));
    static final Schema DATE = LogicalTypes.date().addToSchema(Schema.create(Type.INT));
    /**
     * A string holding one JSON value. Avro has no JSON logical type, so the schema carries
     * {@code "logicalType": "json"} as a plain property and {@link JsonColumns} annotates the Parquet column with
     * Parquet's JSON logical type.
     */
    static final Schema JSON = json();

    static final String JSON_LOGICAL_TYPE = "json";

    private Avro() {
    }

    private static Schema json() {
        Schema schema = Schema.create(Type.STRING);
        schema.addProp(LogicalType.LOGICAL_TYPE_PROP, JSON_LOGICAL_TYPE);
        return schema;
    }

    static boolean isJson(Schema schema) {
        return schema.getType() == Type.STRING && JSON_LOGICAL_TYPE.equals(schema.getProp(LogicalType.LOGICAL_TYPE_PROP));
    }

    /** The non-null branch of an optional (a union with null); the schema itself otherwise. */
    static Schema nonNull(Schema schema) {
        if (schema.getType() != Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(t -> t.getType() != Type.NULL).findFirst().orElseThrow();
    }

    static Schema optional(Schema schema) {
        return Schema.createUnion(Schema.create(Type.NULL), schema);
    }

    static Schema array(Schema items) {
        return Schema.createArray(items);
    }

    static Schema record(String name, String doc, Field... fields) {
        return Schema.createRecord(name, doc, NAMESPACE, false, List.of(fields));
    }

    static Field required(String name, Schema schema, String doc) {
        return new Field(name, schema, doc);
    }

    static Field nullable(String name, Schema schema, String doc) {
        return new Field(name, optional(schema), doc, Field.NULL_DEFAULT_VALUE);
    }

    static Long micros(Instant instant) {
        return instant == null ? null : Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                instant.getNano() / 1_000L);
    }

    static int days(LocalDate date) {
        return Math.toIntExact(date.toEpochDay());
    }
}
