package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.rolloutbatch.episode.EpisodeRepository;
import dev.rolloutbatch.episode.FailureClass;
import dev.rolloutbatch.episode.Outcome;
import dev.rolloutbatch.episode.RunOutcomes;

/**
 * Step 3: the run's outcome ({@link RunOutcomes}: episodes, success rate under both gradings, mean reward with std,
 * 95 % interval and pass@k, average steps and time, tokens and cost) per problem, per task type and overall, logged
 * as a table and stored on the run, which it ends as completed, budget exhausted or infrastructure failed.
 */
class ReportTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ReportTasklet.class);

    /** The report step's exit status when the budget left episodes unstarted: the job then ends failed. */
    static final String BUDGET_EXHAUSTED = "BUDGET_EXHAUSTED";

    /**
     * The report step's exit status when more episodes failed for infrastructure reasons than allowed, or the
     * endpoint was given up on: the job ends failed, and the same command runs exactly those episodes again.
     */
    static final String INFRASTRUCTURE_FAILED = "INFRASTRUCTURE_FAILED";

    /** The report table's columns; pass@k last, as its width varies with the sample count. */
    private static final String HEADER = "%-55s %8s %8s %8s %7s %9s %9s %7s %6s %17s %12s %12s %12s  %s%n";

    private static final JsonMapper JSON = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private final RunRepository runs;
    private final EpisodeRepository episodes;
    private final RunOutcomes outcomes;
    private final BigDecimal budgetUsd;
    private final int maxInfrastructureFailures;

    ReportTasklet(RunRepository runs, EpisodeRepository episodes, RunOutcomes outcomes, BigDecimal budgetUsd,
            int maxInfrastructureFailures) {
        this.runs = runs;
        this.episodes = episodes;
        this.outcomes = outcomes;
        this.budgetUsd = budgetUsd;
        this.maxInfrastructureFailures = maxInfrastructureFailures;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long runId = runs.findByJobInstance(contribution.getStepExecution().getJobExecution().getJobInstance()
            .getInstanceId()).orElseThrow();
        RunReport report = build(runId);
        Outcome all = report.total();
        RunRepository.RunTotals totals = new RunRepository.RunTotals((int) all.episodes(), (int) all.completed(),
                (int) all.succeeded(), (int) all.failed(), (int) (all.episodes() - all.finished()), all.inputTokens(),
                all.outputTokens(), all.costUsd());
        int infrastructure = report.failureClasses().entrySet().stream()
            .filter(e -> FailureClass.fromId(e.getKey()).isInfrastructure()).mapToInt(Map.Entry::getValue).sum();
        boolean budgetSpent = budgetUsd != null && totals.costUsd() != null && totals.costUsd().compareTo(budgetUsd) >= 0;
        RunStatus status;
        ExitStatus exit = null;
        if (infrastructure > maxInfrastructureFailures || totals.pending() > 0 && !budgetSpent) {
            status = RunStatus.INFRASTRUCTURE_FAILED;
            exit = new ExitStatus(INFRASTRUCTURE_FAILED, infrastructureReason(runId, report, infrastructure,
                    totals.pending()));
        }
        else if (totals.pending() > 0) {
            status = RunStatus.BUDGET_EXHAUSTED;
            exit = new ExitStatus(BUDGET_EXHAUSTED, totals.pending() + " episodes were not run: the budget of "
                    + budgetUsd.toPlainString() + " USD is spent (" + money(totals.costUsd())
                    + " USD); restart the same command with a larger budgetUsd to finish the run");
        }
        else {
            status = RunStatus.COMPLETED;
        }
        runs.finish(runId, status, totals, JSON.writeValueAsString(report));
        log.info("Run {} report:\n{}", runId, table(report));
        if (exit != null) {
            log.error("Run {} {}: {}", runId, status.id().replace('_', ' '), exit.getExitDescription());
            contribution.setExitStatus(exit);
        }
        return RepeatStatus.FINISHED;
    }

    /** One line: how many, of which classes, the last error, and what to do. */
    private String infrastructureReason(long runId, RunReport report, int infrastructure, int pending) {
        StringBuilder reason = new StringBuilder();
        reason.append(infrastructure).append(" episodes failed for infrastructure reasons (");
        StringJoiner classes = new StringJoiner(", ");
        report.failureClasses().forEach((k, v) -> {
            if (FailureClass.fromId(k).isInfrastructure()) {
                classes.add(k + " " + v);
            }
        });
        reason.append(infrastructure == 0 ? "none" : classes.toString()).append("; ").append(maxInfrastructureFailures)
            .append(" allowed by rollout.collect.max-infrastructure-failures)");
        if (pending > 0) {
            reason.append(" and ").append(pending).append(" were not run (the endpoint was given up on)");
        }
        String last = episodes.lastInfrastructureError(runId);
        if (last != null) {
            String oneLine = last.replaceAll("\\s+", " ");
            reason.append("; last error: ").append(oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine);
        }
        return reason.append("; fix the cause: the same command runs exactly these episodes again").toString();
    }

    private static String money(BigDecimal amount) {
        return amount == null ? "unknown" : amount.stripTrailingZeros().toPlainString();
    }

    RunReport build(long runId) {
        RunOutcomes.Report outcome = outcomes.report(runId);
        Map<String, Integer> failureClasses = new TreeMap<>();
        episodes.failureClasses(runId).forEach((k, v) -> failureClasses.put(k.id(), v));
        return new RunReport(runId, outcome.total(), outcome.byTaskType(), outcome.byProblem(), failureClasses);
    }

    /**
     * The report as a table for the log: a row per problem, then per task type and the whole run. Rates are of the
     * finished episodes; reward is the mean with its sample standard deviation and 95 % interval; pass@k is the
     * project's grading, averaged over the row's problems.
     */
    static String table(RunReport report) {
        StringBuilder out = new StringBuilder();
        String header = String.format(Locale.ROOT, HEADER, "problem / task type", "episodes", "success", "aiopslab",
                "failed", "avg steps", "avg time", "reward", "std", "95% CI", "tokens in", "tokens out", "cost USD",
                "pass@k");
        out.append(header);
        for (Outcome line : report.byProblem()) {
            out.append(row(line));
        }
        out.append("-".repeat(header.strip().length())).append('\n');
        for (Outcome line : report.byTaskType()) {
            out.append(row(line));
        }
        out.append(row(report.total()));
        if (!report.failureClasses().isEmpty()) {
            StringJoiner classes = new StringJoiner(", ", "failure classes: ", "\n");
            report.failureClasses().forEach((k, v) -> classes.add(k + " " + v));
            out.append(classes);
        }
        return out.toString();
    }

    private static String row(Outcome l) {
        return String.format(Locale.ROOT, HEADER, l.key(), l.episodes(), percent(l.successRate()),
                percent(l.aiopslabSuccessRate()), l.failed(), number(l.avgSteps(), "%.1f"),
                l.avgSeconds() == null ? "-" : String.format(Locale.ROOT, "%.1fs", l.avgSeconds()),
                number(l.meanReward(), "%.3f"), number(l.rewardStd(), "%.3f"), interval(l), l.inputTokens(),
                l.outputTokens(), l.costUsd() == null ? "unknown"
                        : l.costUsd().setScale(6, java.math.RoundingMode.HALF_UP).toPlainString(), passAtK(l));
    }

    private static String percent(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * rate);
    }

    private static String number(Double value, String format) {
        return value == null ? "-" : String.format(Locale.ROOT, format, value);
    }

    private static String interval(Outcome l) {
        return l.rewardCiLow() == null ? "-"
                : String.format(Locale.ROOT, "[%.3f, %.3f]", l.rewardCiLow(), l.rewardCiHigh());
    }

    /** {@code @1 0.333 @2 0.667 @3 1.000}: the k shown by SampleStats. */
    private static String passAtK(Outcome l) {
        StringJoiner out = new StringJoiner(" ");
        l.passAtK().forEach((k, p) -> out.add(String.format(Locale.ROOT, "@%d %.3f", k, p)));
        return out.length() == 0 ? "-" : out.toString();
    }
}
