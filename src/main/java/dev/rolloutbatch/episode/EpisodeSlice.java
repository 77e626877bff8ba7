package dev.rolloutbatch.episode;

/**
 * The episodes of a run whose id falls in one of {@code buckets} hash buckets ({@code id mod buckets}). A remote
 * partition of the collect job owns one bucket; a run in one process owns the single bucket of {@link #WHOLE}.
 */
public record EpisodeSlice(int bucket, int buckets) {

    /** Every episode of the run. */
    public static final EpisodeSlice WHOLE = new EpisodeSlice(0, 1);

    public EpisodeSlice {
        if (buckets < 1 || bucket < 0 || bucket >= buckets) {
            throw new IllegalArgumentException("bucket " + bucket + " of " + buckets + " does not exist");
        }
    }

    public boolean whole() {
        return buckets == 1;
    }

    @Override
    public String toString() {
        return whole() ? "all episodes" : "bucket " + bucket + " of " + buckets;
    }
}
