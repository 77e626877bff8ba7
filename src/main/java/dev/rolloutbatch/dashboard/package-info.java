/**
 * The web dashboard of the {@code serve} profile and the JSON figures behind it (runs, problems, episodes, models,
 * two runs compared). Read-only: owns no table and writes none. Hides its SQL and the statistics computed from it.
 */
@NullMarked
package dev.rolloutbatch.dashboard;

import org.jspecify.annotations.NullMarked;
