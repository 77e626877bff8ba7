package dev.rolloutbatch.export;

import org.jspecify.annotations.Nullable;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** Turns trajectories into the rows of one dataset format. */
interface DatasetRecords {

    /**
     * Version of the dataset schemas, written into every row and every manifest. 2: JSON columns, status, failure
     * class, split and index, and the columns listed in the dataset card's "Changes from version 1".
     */
    int SCHEMA_VERSION = 2;

    ExportFormat format();

    Schema schema();

    /** The row for this trajectory, or null when the format has no row for it. */
    @Nullable GenericRecord toRecord(Trajectory trajectory, String split);
}
