/**
 * The {@code collect} batch job: plan the episodes of a problem list, execute them in parallel, report the run.
 * Sole writer of the {@code run} table; hides its tasklets, parameter parsing and the default-policy choice.
 * Design notes: README.md beside this file.
 */
@NullMarked
package dev.rolloutbatch.collect;

import org.jspecify.annotations.NullMarked;
