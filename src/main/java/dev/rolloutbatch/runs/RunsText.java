package dev.rolloutbatch.runs;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.rolloutbatch.episode.Outcome;

/** The {@code runs} view as text for a terminal. */
final class RunsText {

    private static final String LIST_ROW = "%5s  %-10s  %-22s  %-16s  %13s  %-18s  %12s  %12s  %12s  %s%n";

    private RunsText() {
    }

    static String list(List<RunSummary> runs) {
        if (runs.isEmpty()) {
            return "No runs yet.\n";
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, LIST_ROW, "run", "night", "problems", "status", "episodes done",
                "success", "tokens in", "tokens out", "cost USD", "exit"));
        for (RunSummary run : runs) {
            out.append(String.format(Locale.ROOT, LIST_ROW, run.id(), run.night(), clip(run.problems(), 22),
                    clip(run.status(), 16), run.finished() + "/" + run.episodes(), success(run.succeeded(),
                            run.finished(), run.successRate()), run.inputTokens(), run.outputTokens(),
                    money(run.costUsd()), clip(exit(run), 80)));
        }
        return out.toString();
    }

    static String detail(RunDetail detail) {
        RunSummary run = detail.run();
        StringBuilder out = new StringBuilder();
        out.append("Run ").append(run.id()).append(", night ").append(run.night()).append(", problems ")
            .append(run.problems()).append('\n');
        field(out, "status", run.status());
        field(out, "exit", exit(run));
        field(out, "started", run.startedAt() + (run.endedAt() == null ? ", not ended"
                : ", ended " + run.endedAt() + " (" + duration(run.startedAt(), run.endedAt()) + ")"));
        field(out, "policy", run.policy() + ", model " + run.model() + ", environment " + run.environment());
        field(out, "episodes", run.episodes() + " planned: " + statuses(detail.episodesByStatus()));
        field(out, "success", success(run.succeeded(), run.finished(), run.successRate()) + " of the finished");
        field(out, "tokens", "in " + run.inputTokens() + ", out " + run.outputTokens());
        field(out, "cost USD", money(run.costUsd()));
        out.append('\n').append(table("task type", detail.byTaskType()));
        out.append('\n').append(table("problem", detail.byProblem()));
        if (!detail.failureReasons().isEmpty()) {
            out.append("\nwhy episodes did not succeed:\n");
            for (RunDetail.FailureReason reason : detail.failureReasons()) {
                out.append(String.format(Locale.ROOT, "%8d  %s%n", reason.episodes(), reason.reason()));
            }
        }
        return out.toString();
    }

    private static String table(String title, List<Outcome> lines) {
        String format = "%-55s  %8s  %8s  %18s  %8s  %12s  %12s  %12s%n";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, format, "by " + title, "episodes",
                "finished", "success", "failed", "tokens in", "tokens out", "cost USD"));
        for (Outcome line : lines) {
            out.append(String.format(Locale.ROOT, format, clip(line.key(), 55), line.episodes(), line.finished(),
                    success(line.succeeded(), line.finished(), line.successRate()), line.failed(), line.inputTokens(),
                    line.outputTokens(), money(line.costUsd())));
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "  %-10s %s%n", name, value));
    }

    private static String exit(RunSummary run) {
        if (run.exitCode() == null) {
            return run.exitReason() == null ? "-" : run.exitReason();
        }
        return run.exitReason() == null ? run.exitCode() : run.exitCode() + ": " + run.exitReason();
    }

    private static String statuses(Map<String, Integer> byStatus) {
        if (byStatus.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        byStatus.forEach((status, count) -> out.append(out.isEmpty() ? "" : ", ").append(count).append(' ')
            .append(status));
        return out.toString();
    }

    private static String success(long succeeded, long finished, Double rate) {
        return String.format(Locale.ROOT, "%d/%d %5.1f%%", succeeded, finished, rate == null ? 0 : 100 * rate);
    }

    static String money(BigDecimal cost) {
        return cost == null ? "unknown" : cost.setScale(6, RoundingMode.HALF_UP).toPlainString();
    }

    private static String duration(Instant start, Instant end) {
        Duration d = Duration.between(start, end);
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%dh%02dm%02ds", d.toHours(), d.toMinutesPart(),
                d.toSecondsPart()) : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    private static String clip(String text, int width) {
        if (text == null) {
            return "-";
        }
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
