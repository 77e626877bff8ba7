package dev.rolloutbatch.collect;

import org.jspecify.annotations.Nullable;

/**
 * One row of a problem list.
 *
 * @param samples  null: the job's {@code samples} parameter
 * @param maxSteps null: the job's {@code maxSteps} parameter
 */
record ProblemListEntry(String problemId, @Nullable Integer samples, @Nullable Integer maxSteps, long line) {
}
