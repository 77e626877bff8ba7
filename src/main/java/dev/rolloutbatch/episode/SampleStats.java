package dev.rolloutbatch.episode;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The statistics of repeated samples that SQL cannot do well: confidence intervals from a mean, a sample standard
 * deviation and a count, and the unbiased pass@k estimator. The sums themselves always come from SQL.
 */
public final class SampleStats {

    /** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom; beyond that the normal's 1.96. */
    private static final double[] T975 = { 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042 };

    /** The largest k shown: beyond it pass@k of any real run is 1 to the printed precision. */
    private static final int MAX_K = 1024;

    private SampleStats() {
    }

    /** The 95 % interval of a mean over {@code n} samples (Student's t); null bounds when n < 2. */
    public static Interval meanInterval(Double mean, Double sampleStd, long n) {
        if (mean == null || n < 2 || sampleStd == null) {
            return new Interval(mean, null, null);
        }
        double half = t975(n - 1) * sampleStd / Math.sqrt(n);
        return new Interval(mean, mean - half, mean + half);
    }

    static double t975(long degreesOfFreedom) {
        return degreesOfFreedom <= T975.length ? T975[(int) degreesOfFreedom - 1] : 1.96;
    }

    /**
     * The unbiased pass@k of one problem with {@code n} samples of which {@code c} succeeded:
     * 1 - C(n-c, k) / C(n, k) (Chen et al. 2021), computed as a product to stay exact for large n.
     */
    public static double passAtK(long n, long c, int k) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be between 1 and n=" + n + ", was " + k);
        }
        if (n - c < k) {
            return 1.0;
        }
        double fail = 1.0;
        for (long i = n - c + 1; i <= n; i++) {
            fail *= 1.0 - (double) k / i;
        }
        return 1.0 - fail;
    }

    /**
     * pass@k averaged over the problems that have finished samples (a running run's unstarted ones wait), for the
     * k of {@link #ks} up to the smallest sample count among them; empty when no problem has finished samples.
     */
    public static Map<Integer, Double> meanPassAtK(Collection<Samples> problems) {
        List<Samples> sampled = problems.stream().filter(p -> p.n() > 0).toList();
        long minN = sampled.stream().mapToLong(Samples::n).min().orElse(0);
        Map<Integer, Double> out = new LinkedHashMap<>();
        if (minN < 1) {
            return out;
        }
        for (int k : ks((int) Math.min(minN, MAX_K))) {
            out.put(k, sampled.stream().mapToDouble(p -> passAtK(p.n(), p.c(), k)).average().orElseThrow());
        }
        return out;
    }

    /** The k worth showing when the smallest sample count is {@code maxK}: 1, 2, 4, ... and maxK. */
    public static int[] ks(int maxK) {
        return IntStream.rangeClosed(1, maxK).filter(k -> Integer.bitCount(k) == 1 || k == maxK).toArray();
    }

    /** A mean and its 95 % interval (bounds null when there are fewer than two samples). */
    public record Interval(Double mean, Double low, Double high) {
    }

    /** The finished samples {@code n} of one problem and how many of them succeeded, {@code c}. */
    public record Samples(long n, long c) {
    }
}
