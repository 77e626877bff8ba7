package dev.rolloutbatch.export;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** Turns trajectories into the rows of one dataset format. */
interface DatasetRecords {

    /** Version of the dataset schemas, written into every row and every manifest. */
    int SCHEMA_VERSION = 1;

    Schema schema();

    /** The row for this trajectory, or null when the format has no row for it. */
    GenericRecord toRecord(Trajectory trajectory);
}
