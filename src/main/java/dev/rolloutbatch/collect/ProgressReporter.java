package dev.rolloutbatch.collect;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a run's progress: done/total, success rate, tokens, cost so far and an ETA. */
final class ProgressReporter {

    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

    private final RunRepository runs;
    private final long runId;
    private final Instant startedAt = Instant.now();
    private final int doneAtStart;

    ProgressReporter(RunRepository runs, long runId) {
        this.runs = runs;
        this.runId = runId;
        this.doneAtStart = runs.totals(runId).done();
    }

    RunRepository.RunTotals report() {
        RunRepository.RunTotals t = runs.totals(runId);
        int done = t.done();
        int doneNow = done - doneAtStart;
        Duration elapsed = Duration.between(startedAt, Instant.now());
        String eta = "?";
        if (doneNow > 0 && done < t.planned()) {
            long perEpisodeMs = elapsed.toMillis() / doneNow;
            eta = format(Duration.ofMillis(perEpisodeMs * (t.planned() - done)));
        }
        else if (done >= t.planned()) {
            eta = "0s";
        }
        log.info("Run {} progress: {}/{} episodes done ({}%), success rate {}%, tokens in/out {}/{}, cost {} USD, elapsed {}, ETA {}",
                runId, done, t.planned(), percent(done, t.planned()), percent(t.succeeded(), done), t.inputTokens(),
                t.outputTokens(), t.costUsd() == null ? "unknown" : t.costUsd().stripTrailingZeros().toPlainString(),
                format(elapsed), eta);
        return t;
    }

    static String percent(int part, int whole) {
        return whole == 0 ? "0.0" : String.format(java.util.Locale.ROOT, "%.1f", 100.0 * part / whole);
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
