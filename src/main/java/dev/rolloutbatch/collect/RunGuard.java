package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.rolloutbatch.episode.AttemptControl;

/**
 * What stops a run's episodes between steps: the budget, and a circuit breaker for an endpoint that answers no
 * valid completion. Every LLM call's cost is added as soon as its row is durable, and checked before every next
 * call, so a run spends at most its budget plus the calls in flight when it was reached. The count starts from
 * what the run's earlier processes already spent (their {@code llm_call} rows), so the budget holds across
 * restarts and crashes. When other processes spend on the same run at the same time (the workers of a distributed
 * run), the count is also refreshed from the run's {@code llm_call} rows at most once a second.
 */
final class RunGuard implements AttemptControl {

    private static final Logger log = LoggerFactory.getLogger(RunGuard.class);

    private final BigDecimal budgetUsd;
    private final int breakerCalls;
    /** The run's spend in the database (every process's calls), or null when this process is alone on the run. */
    private final Supplier<BigDecimal> runSpend;
    private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime());
    private BigDecimal spent;
    private int calls;
    private int answered;
    private volatile String stop;

    /**
     * @param alreadySpent what the run's LLM calls cost so far (null: unknown, some model has no price)
     * @param breakerCalls failed calls, before any valid completion, that make the run give up on the endpoint;
     *                     0 never gives up
     */
    RunGuard(BigDecimal budgetUsd, BigDecimal alreadySpent, int breakerCalls) {
        this(budgetUsd, alreadySpent, breakerCalls, null);
    }

    /** @param runSpend the run's spend summed from the database, for a run that other processes spend on too */
    RunGuard(BigDecimal budgetUsd, BigDecimal alreadySpent, int breakerCalls, Supplier<BigDecimal> runSpend) {
        this.runSpend = runSpend;
        this.budgetUsd = budgetUsd;
        this.breakerCalls = breakerCalls;
        this.spent = alreadySpent == null ? BigDecimal.ZERO : alreadySpent;
        checkBudget();
    }

    @Override
    public String stopReason() {
        return stop;
    }

    @Override
    public void callEnded(BigDecimal costUsd, boolean valid) {
        count(costUsd, valid);
        if (runSpend != null && budgetUsd != null && stop == null && refreshDue()) {
            refresh(runSpend.get());
        }
    }

    private boolean refreshDue() {
        long last = lastRefresh.get();
        long now = System.nanoTime();
        return now - last >= 1_000_000_000L && lastRefresh.compareAndSet(last, now);
    }

    /** Takes the other processes' spend into account: the database's sum includes this process's durable calls. */
    synchronized void refresh(BigDecimal runSpent) {
        if (runSpent != null && runSpent.compareTo(spent) > 0) {
            spent = runSpent;
            checkBudget();
        }
    }

    private synchronized void count(BigDecimal costUsd, boolean valid) {
        calls++;
        if (valid) {
            answered++;
        }
        if (costUsd != null) {
            spent = spent.add(costUsd);
            checkBudget();
        }
        if (stop == null && breakerCalls > 0 && answered == 0 && calls >= breakerCalls) {
            stop = "the endpoint answered no valid completion in its first " + calls + " calls";
            log.error("Giving up on the endpoint: {}; no new episodes start", stop);
        }
    }

    private void checkBudget() {
        if (stop == null && budgetUsd != null && spent.compareTo(budgetUsd) >= 0) {
            stop = "the budget of " + budgetUsd.toPlainString() + " USD is spent (" + spent.toPlainString() + " USD)";
            log.warn("Budget spent: {}; no new episodes start, running ones stop before their next call", stop);
        }
    }

    synchronized BigDecimal spent() {
        return spent;
    }

    boolean stopped() {
        return stop != null;
    }
}
