package dev.rolloutbatch.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What the deterministic train/validation/test split hashes ({@code splitBy=}). */
enum SplitBy {
    /** The problem id: every sample and every night of a problem land in the same split. */
    PROBLEM,
    /** The problem's fault family: all task types (detection … mitigation) of one injected fault stay together. */
    FAMILY;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<SplitBy> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }
}
