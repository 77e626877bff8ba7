package dev.rolloutbatch.episode;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SampleStatsTests {

    @Test
    void passAtKIsTheChanceThatKOfTheNSamplesDrawnWithoutReplacementHoldASuccess() {
        for (int n = 1; n <= 12; n++) {
            for (int c = 0; c <= n; c++) {
                for (int k = 1; k <= n; k++) {
                    assertThat(SampleStats.passAtK(n, c, k)).as("n=%d c=%d k=%d", n, c, k)
                        .isCloseTo(byCounting(n, c, k), within(1e-12));
                }
            }
        }
        assertThat(SampleStats.passAtK(10, 0, 5)).isZero();
        assertThat(SampleStats.passAtK(10, 3, 1)).isCloseTo(0.3, within(1e-12));
        assertThatThrownBy(() -> SampleStats.passAtK(3, 1, 4)).hasMessageContaining("k must be between 1 and n=3");
    }

    /** Counts the k-subsets with no success among all k-subsets, with exact integers. */
    private static double byCounting(int n, int c, int k) {
        BigInteger all = binomial(n, k);
        BigInteger allFailures = binomial(n - c, k);
        return 1.0 - allFailures.doubleValue() / all.doubleValue();
    }

    private static BigInteger binomial(int n, int k) {
        if (k > n) {
            return BigInteger.ZERO;
        }
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }

    @Test
    void meanIntervalUsesStudentsTForFewSamplesAndTheNormalForMany() {
        SampleStats.Interval three = SampleStats.meanInterval(0.5, 0.1, 3);
        assertThat(three.low()).isCloseTo(0.5 - 4.303 * 0.1 / Math.sqrt(3), within(1e-9));
        assertThat(three.high()).isCloseTo(0.5 + 4.303 * 0.1 / Math.sqrt(3), within(1e-9));
        SampleStats.Interval many = SampleStats.meanInterval(1.0, 2.0, 400);
        assertThat(many.high() - many.mean()).isCloseTo(1.96 * 2.0 / 20, within(1e-9));
        assertThat(SampleStats.meanInterval(0.7, null, 1).low()).isNull();
    }

    @Test
    void theKsShownArePowersOfTwoAndN() {
        assertThat(SampleStats.ks(6)).containsExactly(1, 2, 4, 6);
        assertThat(SampleStats.ks(1)).containsExactly(1);
    }

    @Test
    void meanPassAtKAveragesOverTheSampledProblemsUpToTheSmallestSampleCount() {
        // n=3 c=1: pass@1 1/3, pass@2 2/3, pass@3 1; n=4 c=2: pass@1 1/2, pass@2 5/6, pass@3 1; n=0 waits.
        java.util.Map<Integer, Double> mean = SampleStats.meanPassAtK(java.util.List.of(new SampleStats.Samples(3, 1),
                new SampleStats.Samples(4, 2), new SampleStats.Samples(0, 0)));
        assertThat(mean.keySet()).containsExactly(1, 2, 3);
        assertThat(mean.get(1)).isCloseTo((1.0 / 3 + 1.0 / 2) / 2, within(1e-12));
        assertThat(mean.get(2)).isCloseTo((2.0 / 3 + 5.0 / 6) / 2, within(1e-12));
        assertThat(mean.get(3)).isCloseTo(1.0, within(1e-12));
        assertThat(SampleStats.meanPassAtK(java.util.List.of(new SampleStats.Samples(0, 0)))).isEmpty();
    }
}
