package dev.rolloutbatch.collect;

/**
 * One row of a problem list.
 *
 * @param samples  null: the job's {@code samples} parameter
 * @param maxSteps null: the job's {@code maxSteps} parameter
 */
record ProblemListEntry(String problemId, Integer samples, Integer maxSteps, long line) {
}
