package dev.rolloutbatch.launch;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param gracePeriod how long a job stopped by SIGTERM lets its work in flight finish before abandoning it; keep
 *                    it under the time the supervisor waits before SIGKILL (Kubernetes'
 *                    terminationGracePeriodSeconds is 30 s by default, systemd's TimeoutStopSec 90 s)
 */
@ConfigurationProperties("rollout.shutdown")
record ShutdownProperties(@DefaultValue("20s") Duration gracePeriod) {

    ShutdownProperties {
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("rollout.shutdown.grace-period must not be negative (was "
                    + gracePeriod + ")");
        }
    }
}
