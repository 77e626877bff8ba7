package dev.rolloutbatch.export;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the export job ({@code rollout.export.*}); the defaults suit a nightly export in a small heap.
 *
 * @param chunkSize     episodes per chunk: their messages and LLM calls are loaded together, so this bounds memory
 * @param fetchSize     rows the database cursor fetches per round trip
 * @param rowGroupBytes Parquet row-group size (DESIGN §5: at most 128 MB)
 * @param pageBytes     Parquet page size
 */
@ConfigurationProperties("rollout.export")
record ExportProperties(
        @DefaultValue("500") int chunkSize,
        @DefaultValue("1000") int fetchSize,
        @DefaultValue("134217728") long rowGroupBytes,
        @DefaultValue("1048576") int pageBytes) {

    static final long MAX_ROW_GROUP_BYTES = 128L * 1024 * 1024;

    ExportProperties {
        if (chunkSize <= 0 || fetchSize <= 0 || pageBytes <= 0) {
            throw new IllegalArgumentException("rollout.export.chunk-size, fetch-size and page-bytes must be positive");
        }
        if (rowGroupBytes <= 0 || rowGroupBytes > MAX_ROW_GROUP_BYTES) {
            throw new IllegalArgumentException("rollout.export.row-group-bytes must be in (0, 128 MB]");
        }
    }
}
