package dev.rolloutbatch.catalog;

import java.util.Locale;

/** AIOpsLab's four task types; the lower-case name is what the CSV files and datasets use. */
public enum TaskType {
    DETECTION, LOCALIZATION, ANALYSIS, MITIGATION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskType fromId(String id) {
        for (TaskType type : values()) {
            if (type.id().equals(id)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown task type '" + id + "'");
    }
}
