package dev.rolloutbatch.conversation;

import java.math.BigDecimal;

/** Money spent on one completion, per usage bucket, in USD, priced by one version of the price table. */
public record Cost(BigDecimal inputUncached, BigDecimal cacheRead, BigDecimal cacheWrite, BigDecimal output,
        String priceVersion) {

    public BigDecimal total() {
        return inputUncached.add(cacheRead).add(cacheWrite).add(output);
    }
}
