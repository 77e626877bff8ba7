package dev.rolloutbatch.collect;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import dev.rolloutbatch.episode.EpisodeSlice;

/**
 * Splits a run into {@code gridSize} partitions by episode id ({@code id mod gridSize}): every episode falls in
 * exactly one, the samples of a problem spread over all of them, and the split needs no query, so a restarted
 * partition covers the same episodes as before.
 */
final class EpisodeBuckets implements Partitioner {

    static final String BUCKET = "bucket";
    static final String BUCKETS = "buckets";

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (int bucket = 0; bucket < gridSize; bucket++) {
            ExecutionContext context = new ExecutionContext();
            context.putInt(BUCKET, bucket);
            context.putInt(BUCKETS, gridSize);
            partitions.put("bucket" + bucket, context);
        }
        return partitions;
    }

    static EpisodeSlice slice(ExecutionContext context) {
        return new EpisodeSlice(context.getInt(BUCKET), context.getInt(BUCKETS));
    }
}
