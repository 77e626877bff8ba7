package dev.rolloutbatch.export;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Gives the Parquet columns of {@link Avro#JSON} fields Parquet's JSON logical type. parquet-avro's schema
 * converter knows no JSON type, so the converted schema is walked beside the Avro schema and each such string
 * column is re-annotated; the bytes written stay the same UTF-8 text.
 */
final class JsonColumns {

    private JsonColumns() {
    }

    static MessageType annotate(MessageType converted, Schema record) {
        return new MessageType(converted.getName(), fields(converted, record));
    }

    private static List<Type> fields(GroupType group, Schema record) {
        List<Type> fields = new ArrayList<>(record.getFields().size());
        for (Schema.Field field : record.getFields()) {
            fields.add(convert(group.getType(field.name()), field.schema()));
        }
        return fields;
    }

    private static Type convert(Type type, Schema schema) {
        Schema s = Avro.nonNull(schema);
        if (Avro.isJson(s)) {
            return Types.primitive(PrimitiveTypeName.BINARY, type.getRepetition())
                .as(LogicalTypeAnnotation.jsonType())
                .named(type.getName());
        }
        return switch (s.getType()) {
            case RECORD -> type.asGroupType().withNewFields(fields(type.asGroupType(), s));
            case ARRAY -> {
                // 3-level list: <list> (LIST) → repeated group list → element
                GroupType list = type.asGroupType();
                GroupType repeated = list.getType(0).asGroupType();
                yield list.withNewFields(repeated.withNewFields(convert(repeated.getType(0), s.getElementType())));
            }
            default -> type;
        };
    }
}
