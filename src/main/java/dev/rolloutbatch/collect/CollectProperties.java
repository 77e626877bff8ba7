package dev.rolloutbatch.collect;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param progressInterval how often a running collect job logs its progress
 */
@ConfigurationProperties("rollout.collect")
record CollectProperties(@DefaultValue("10s") Duration progressInterval) {
}
