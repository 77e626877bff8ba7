package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
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
import org.springframework.jdbc.core.JdbcTemplate;

import dev.rolloutbatch.episode.EpisodeRepository;
import dev.rolloutbatch.episode.EpisodeStatus;
import dev.rolloutbatch.episode.FailureClass;

/**
 * Step 3: totals (episodes, success rate under both gradings, average steps and time, tokens and cost) per
 * problem, per task type and overall, summed from the rows, logged as a table and stored on the run.
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

    private static final JsonMapper JSON = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    /** One row per episode with its spend over every attempt (its LLM calls); grouped in Java to stay portable. */
    private static final String ROWS = """
            SELECT e.problem_id, e.task_type, e.status, e.success, e.evaluation, e.steps_taken, e.started_at, e.ended_at,
                COALESCE(s.input_tokens, 0) AS input_tokens, COALESCE(s.output_tokens, 0) AS output_tokens,
                s.cost, COALESCE(s.calls, 0) AS calls, COALESCE(s.priced, 0) AS priced
            FROM episode e LEFT JOIN (
                SELECT c.episode_id, SUM(l.input_uncached_tokens + l.cache_read_tokens + l.cache_write_tokens) AS input_tokens,
                    SUM(l.output_tokens) AS output_tokens, SUM(l.cost_usd) AS cost, COUNT(*) AS calls,
                    COUNT(l.cost_usd) AS priced
                FROM llm_call l JOIN conversation c ON c.id = l.conversation_id
                WHERE c.episode_id IN (SELECT id FROM episode WHERE run_id = ?)
                GROUP BY c.episode_id) s ON s.episode_id = e.id
            WHERE e.run_id = ? ORDER BY e.id""";

    private final RunRepository runs;
    private final EpisodeRepository episodes;
    private final JdbcTemplate jdbc;
    private final BigDecimal budgetUsd;
    private final int maxInfrastructureFailures;

    ReportTasklet(RunRepository runs, EpisodeRepository episodes, JdbcTemplate jdbc, BigDecimal budgetUsd,
            int maxInfrastructureFailures) {
        this.runs = runs;
        this.episodes = episodes;
        this.jdbc = jdbc;
        this.budgetUsd = budgetUsd;
        this.maxInfrastructureFailures = maxInfrastructureFailures;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long runId = runs.findByJobInstance(contribution.getStepExecution().getJobExecution().getJobInstance()
            .getInstanceId()).orElseThrow();
        RunReport report = build(runId);
        RunReport.Line all = report.total();
        RunRepository.RunTotals totals = new RunRepository.RunTotals(all.episodes(), all.completed(), all.succeeded(),
                all.failed(), all.episodes() - all.finished(), all.inputTokens(), all.outputTokens(), all.costUsd());
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
        List<Row> rows = jdbc.query(ROWS, (rs, i) -> {
            java.sql.Timestamp started = rs.getTimestamp("started_at");
            java.sql.Timestamp ended = rs.getTimestamp("ended_at");
            long calls = rs.getLong("calls");
            boolean success = rs.getBoolean("success");
            return new Row(rs.getString("problem_id"), rs.getString("task_type"),
                    EpisodeStatus.fromId(rs.getString("status")),
                    success, aiopslabSuccess(rs.getString("evaluation"), success), rs.getInt("steps_taken"),
                    started != null && ended != null ? (ended.getTime() - started.getTime()) / 1000.0 : 0,
                    rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                    calls == rs.getLong("priced") ? (rs.getBigDecimal("cost") == null ? BigDecimal.ZERO
                            : rs.getBigDecimal("cost")) : null);
        }, runId, runId);
        java.util.Map<String, List<Row>> byType = new java.util.TreeMap<>();
        java.util.Map<String, List<Row>> byProblem = new java.util.LinkedHashMap<>();
        for (Row row : rows) {
            byType.computeIfAbsent(row.taskType(), k -> new ArrayList<>()).add(row);
            byProblem.computeIfAbsent(row.problemId(), k -> new ArrayList<>()).add(row);
        }
        Map<String, Integer> failureClasses = new TreeMap<>();
        episodes.failureClasses(runId).forEach((k, v) -> failureClasses.put(k.id(), v));
        return new RunReport(runId, line("all", rows), byType.entrySet().stream().map(e -> line(e.getKey(), e.getValue())).toList(),
                byProblem.entrySet().stream().map(e -> line(e.getKey(), e.getValue())).toList(), failureClasses);
    }

    /** {@code aiopslab.success} of the stored evaluation; rows from before both gradings fall back to the project's. */
    static boolean aiopslabSuccess(String evaluationJson, boolean projectSuccess) {
        if (evaluationJson == null || evaluationJson.isBlank()) {
            return projectSuccess;
        }
        try {
            tools.jackson.databind.JsonNode flag = JSON.readTree(evaluationJson).path("aiopslab").path("success");
            return flag.isBoolean() ? flag.asBoolean() : projectSuccess;
        }
        catch (tools.jackson.core.JacksonException ex) {
            return projectSuccess;
        }
    }

    private static RunReport.Line line(String key, List<Row> rows) {
        int finished = 0;
        int completed = 0;
        int succeeded = 0;
        int aiopslabSucceeded = 0;
        int failed = 0;
        long steps = 0;
        double seconds = 0;
        long in = 0;
        long out = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (Row row : rows) {
            boolean done = row.status().isFinal();
            if (done) {
                finished++;
                steps += row.steps();
                seconds += row.seconds();
            }
            if (row.status() == EpisodeStatus.COMPLETED) {
                completed++;
            }
            else if (done) {
                failed++;
            }
            if (row.success()) {
                succeeded++;
            }
            if (row.aiopslabSuccess()) {
                aiopslabSucceeded++;
            }
            in += row.inputTokens();
            out += row.outputTokens();
            cost = cost == null || row.cost() == null ? null : cost.add(row.cost());
        }
        return new RunReport.Line(key, rows.size(), finished, completed, succeeded, failed,
                finished == 0 ? 0 : (double) succeeded / finished, aiopslabSucceeded,
                finished == 0 ? 0 : (double) aiopslabSucceeded / finished, finished == 0 ? 0 : (double) steps / finished,
                finished == 0 ? 0 : seconds / finished, in, out, cost);
    }

    static String table(RunReport report) {
        StringBuilder out = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-55s %8s %8s %9s %8s %9s %9s %12s %12s %12s%n", "problem / task type",
                "episodes", "success", "aiopslab", "failed", "avg steps", "avg time", "tokens in", "tokens out", "cost USD");
        out.append(header);
        for (RunReport.Line line : report.byProblem()) {
            out.append(row(line));
        }
        out.append("-".repeat(header.length() - 1)).append('\n');
        for (RunReport.Line line : report.byTaskType()) {
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

    private static String row(RunReport.Line l) {
        return String.format(Locale.ROOT, "%-55s %8d %7.1f%% %8.1f%% %8d %9.1f %8.1fs %12d %12d %12s%n", l.key(),
                l.episodes(), 100 * l.successRate(), 100 * l.aiopslabSuccessRate(), l.failed(), l.avgSteps(), l.avgSeconds(), l.inputTokens(), l.outputTokens(),
                l.costUsd() == null ? "unknown" : l.costUsd().setScale(6, java.math.RoundingMode.HALF_UP).toPlainString());
    }

    private record Row(String problemId, String taskType, EpisodeStatus status, boolean success,
            boolean aiopslabSuccess, int steps, double seconds,
            long inputTokens, long outputTokens, BigDecimal cost) {
    }
}
