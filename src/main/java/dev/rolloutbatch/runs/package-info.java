/**
 * The {@code runs} command: the recent collect runs, or one run's report, printed as text or JSON. Read-only: owns
 * no table and writes none. Hides its queries and text layout; the launcher runs it through
 * {@code launch.LauncherCommand}.
 */
@NullMarked
package dev.rolloutbatch.runs;

import org.jspecify.annotations.NullMarked;
