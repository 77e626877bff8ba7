package dev.rolloutbatch.conversation;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param file a user price file (same CSV format as {@code classpath:pricing/prices.csv}) whose rows override or
 *             add to the shipped table; null for none
 */
@ConfigurationProperties("rollout.pricing")
public record PricingProperties(String file) {
}
