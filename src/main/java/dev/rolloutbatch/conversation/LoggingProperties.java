package dev.rolloutbatch.conversation;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxBatch     rows written in one transaction at most
 * @param maxOutage    how long the writer keeps retrying a database that does not answer before it gives up
 */
@ConfigurationProperties("rollout.logging")
public record LoggingProperties(@DefaultValue("1000") int maxBatch, @DefaultValue("60s") Duration maxOutage) {
}
