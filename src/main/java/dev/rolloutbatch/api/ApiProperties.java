package dev.rolloutbatch.api;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the HTTP API ({@code serve} profile).
 *
 * @param workers           worker threads that claim and run submitted tasks
 * @param pollInterval      how often an idle worker looks for pending tasks
 * @param heartbeatInterval how often a worker stamps {@code episode.heartbeat_at} of the tasks it runs
 * @param staleAfter        a running task whose heartbeat is older than this belongs to a dead worker and is
 *                          put back in the queue (must be several heartbeat intervals)
 * @param shutdownGrace     how long a stopping server waits for running tasks to stop at their next step
 * @param environment       the environment tasks run in
 * @param offlinePolicy     the policy of {@code use_llm: false} tasks
 * @param llmPolicy         the policy of {@code use_llm: true} tasks
 * @param workerPrefix      worker ids are {@code <prefix>-worker-<n>}; empty means {@code <host>-<pid>}
 * @param token             bearer token required on every endpoint but health; empty means none
 * @param maxPageSize       the largest page a list endpoint returns
 * @param maxRequestSize    the largest request body accepted; a larger one is refused with 413
 * @param allowUnauthenticated serve without a token on an address other than loopback (logged as a warning);
 *                          without it such a server refuses to start
 */
@ConfigurationProperties("rollout.api")
record ApiProperties(@DefaultValue("3") int workers, @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("10s") Duration heartbeatInterval, @DefaultValue("60s") Duration staleAfter,
        @DefaultValue("30s") Duration shutdownGrace, @DefaultValue("simulated") String environment,
        @DefaultValue("scripted") String offlinePolicy, @DefaultValue("openai") String llmPolicy,
        @DefaultValue("") String workerPrefix, @DefaultValue("") String token,
        @DefaultValue("500") int maxPageSize, @DefaultValue("1MB") DataSize maxRequestSize,
        @DefaultValue("false") boolean allowUnauthenticated) {

    ApiProperties {
        if (workers < 0) {
            throw new IllegalArgumentException("rollout.api.workers must be >= 0");
        }
        if (maxPageSize < 1) {
            throw new IllegalArgumentException("rollout.api.max-page-size must be at least 1");
        }
        if (maxRequestSize.toBytes() < 1024) {
            throw new IllegalArgumentException("rollout.api.max-request-size must be at least 1KB");
        }
        if (staleAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("rollout.api.stale-after must be at least twice"
                    + " rollout.api.heartbeat-interval");
        }
    }
}
