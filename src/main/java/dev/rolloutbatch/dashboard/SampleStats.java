package dev.rolloutbatch.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statistics of repeated samples that SQL cannot do well: confidence intervals from a mean, a sample standard
 * deviation and a count, and the unbiased pass@k estimator. The sums themselves always come from SQL.
 */
final class SampleStats {

    /** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom; beyond that the normal's 1.96. */
    private static final double[] T975 = { 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042 };

    private SampleStats() {
    }

    /** The 95 % interval of a mean over {@code n} samples (Student's t); null bounds when n < 2. */
    static Interval meanInterval(Double mean, Double sampleStd, long n) {
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
    static double passAtK(long n, long c, int k) {
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

    /** The k worth showing for groups whose smallest sample count is {@code minSamples}: 1, 2, 4, ... and n. */
    static Map<Integer, Double> passAtKs(long n, long c, int maxK) {
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int k : ks(maxK)) {
            out.put(k, passAtK(n, c, k));
        }
        return out;
    }

    static int[] ks(int maxK) {
        return java.util.stream.IntStream.rangeClosed(1, maxK)
            .filter(k -> Integer.bitCount(k) == 1 || k == maxK)
            .toArray();
    }

    /** A mean and its 95 % interval (bounds null when there are fewer than two samples). */
    record Interval(Double mean, Double low, Double high) {
    }
}
