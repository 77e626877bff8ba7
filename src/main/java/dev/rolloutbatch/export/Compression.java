package dev.rolloutbatch.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** Parquet compression codecs offered by {@code compression=}, and the file suffix each one gets. */
enum Compression {
    ZSTD(CompressionCodecName.ZSTD, ".zstd.parquet"),
    SNAPPY(CompressionCodecName.SNAPPY, ".snappy.parquet"),
    NONE(CompressionCodecName.UNCOMPRESSED, ".parquet");

    private final CompressionCodecName codec;
    private final String suffix;

    Compression(CompressionCodecName codec, String suffix) {
        this.codec = codec;
        this.suffix = suffix;
    }

    CompressionCodecName codec() {
        return codec;
    }

    String suffix() {
        return suffix;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Compression> fromId(String id) {
        return Arrays.stream(values()).filter(c -> c.id().equals(id)).findFirst();
    }
}
