package dev.rolloutbatch.collect;

import java.math.BigDecimal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.rolloutbatch.episode.AttemptControl;

/**
 * What stops a run's episodes between steps: the budget, and a circuit breaker for an endpoint that answers no
 * valid completion. Every LLM call's cost is added as soon as its row is durable, and checked before every next
 * call, so a run spends at most its budget plus the calls in flight when it was reached. The count starts from
 * what the run's earlier processes already spent (their {@code llm_call} rows), so the budget holds across
 * restarts and crashes.
 */
final class RunGuard implements AttemptControl {

    private static final Logger log = LoggerFactory.getLogger(RunGuard.class);

    private final BigDecimal budgetUsd;
    private final int breakerCalls;
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
    public synchronized void callEnded(BigDecimal costUsd, boolean valid) {
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
