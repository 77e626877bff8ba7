package dev.rolloutbatch.runs;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One collect run as the {@code runs} view shows it. Counts and spend are summed from the episode and
 * conversation rows, so a run that is still going (or died) shows what it has done so far.
 *
 * @param status     completed, budget_exhausted, failed, running, stopped, abandoned or unknown
 * @param exitCode   Spring Batch's exit code of the run's last job execution (COMPLETED, FAILED, ...)
 * @param exitReason the first line of why it ended that way, or null when there is nothing to say
 * @param finished   completed + failed episodes (failed counts timeouts and cancellations)
 * @param successRate succeeded / finished, 0 when nothing finished
 * @param costUsd    null when some LLM call had no price
 */
record RunSummary(long id, LocalDate night, String problems, String status, String exitCode, String exitReason,
        String policy, String model, String environment, Instant startedAt, Instant endedAt, int episodes,
        int finished, int completed, int failed, int running, int pending, int succeeded, double successRate,
        long inputTokens, long outputTokens, BigDecimal costUsd) {
}
