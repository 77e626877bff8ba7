package dev.rolloutbatch.collect;

/** Each (problem, sample) of a run gets its own reproducible seed, derived from the run's base seed. */
final class EpisodeSeeds {

    private EpisodeSeeds() {
    }

    static long derive(long baseSeed, String problemId, int sample) {
        long h = baseSeed * 0x9E3779B97F4A7C15L + problemId.hashCode() * 0xC2B2AE3D27D4EB4FL + sample;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h & Long.MAX_VALUE;
    }
}
