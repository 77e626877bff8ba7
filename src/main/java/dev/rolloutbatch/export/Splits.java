package dev.rolloutbatch.export;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;

/**
 * The deterministic split of a problem. The key (problem id, or its fault family from the catalog; the problem id
 * for a problem the catalog does not know) is hashed with SHA-256; its first 8 bytes, read as an unsigned
 * big-endian integer, shifted right by 11 bits and divided by 2^53, give u in [0, 1): {@code test} when u < testRatio, {@code validation}
 * when u < testRatio + validationRatio, else {@code train}. The same key gets the same split in every export, on
 * every machine, whatever else the night held, so a problem run every night never leaks from train into test.
 */
final class Splits {

    static final String TRAIN = "train";
    static final String VALIDATION = "validation";
    static final String TEST = "test";

    private final SplitBy by;
    private final double validationRatio;
    private final double testRatio;
    private final ProblemCatalog catalog;

    Splits(SplitBy by, double validationRatio, double testRatio, ProblemCatalog catalog) {
        this.by = by;
        this.validationRatio = validationRatio;
        this.testRatio = testRatio;
        this.catalog = catalog;
    }

    static Splits of(ExportParameters p, ProblemCatalog catalog) {
        return new Splits(p.splitBy(), p.validationRatio(), p.testRatio(), catalog);
    }

    String of(String problemId) {
        double u = unit(key(problemId));
        if (u < testRatio) {
            return TEST;
        }
        return u < testRatio + validationRatio ? VALIDATION : TRAIN;
    }

    String key(String problemId) {
        if (by == SplitBy.FAMILY) {
            return catalog.find(problemId).map(Problem::faultFamily).filter(f -> f != null && !f.isBlank())
                .orElse(problemId);
        }
        return problemId;
    }

    static double unit(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            // the top 53 bits of the unsigned big-endian integer: exact in a double, so every language agrees
            return (ByteBuffer.wrap(digest, 0, 8).getLong() >>> 11) * 0x1p-53;
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
