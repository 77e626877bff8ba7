/**
 * The {@code export} batch job: logged episodes and conversations to Parquet datasets (trajectories, sft, verl).
 * Writes no table, only reads; hides the Avro schemas, the Parquet writer settings and the staged publish of a
 * partition.
 */
@NullMarked
package dev.rolloutbatch.export;

import org.jspecify.annotations.NullMarked;
