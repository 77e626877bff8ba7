package dev.rolloutbatch.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The dataset formats of DESIGN §5; the lower-case name is the {@code format=} value and the directory name. */
enum ExportFormat {
    TRAJECTORIES, SFT, VERL;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ExportFormat> fromId(String id) {
        return Arrays.stream(values()).filter(f -> f.id().equals(id)).findFirst();
    }
}
