package dev.rolloutbatch.export;

/** Observes the export row by row; tests use it to inject a failure mid-export. None by default. */
@FunctionalInterface
interface ExportHook {

    ExportHook NONE = rows -> {
    };

    /** Called after each row is written, with the number of rows written so far by this export. */
    void rowWritten(long rows) throws java.io.IOException;
}
