package dev.rolloutbatch.environment.remote;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the {@code http} environment finds a real AIOpsLab deployment.
 *
 * @param baseUrl        e.g. {@code http://aiopslab:8000} (no trailing slash needed)
 * @param connectTimeout how long to wait for a TCP connection
 * @param readTimeout    how long to wait for an answer (kubectl on a busy cluster can be slow)
 * @param retries        extra attempts after a transient failure (connection refused, 5xx, 429, timeout)
 * @param backoff        wait before the first retry; doubled for every further retry
 * @param token          bearer token sent on every request (env {@code ROLLOUT_ENVIRONMENT_HTTP_TOKEN}); empty
 *                       means none. Never logged, never a job parameter.
 */
@ConfigurationProperties("rollout.environment.http")
public record HttpEnvironmentProperties(@DefaultValue("http://localhost:8000") String baseUrl,
        @DefaultValue("5s") Duration connectTimeout, @DefaultValue("120s") Duration readTimeout,
        @DefaultValue("3") int retries, @DefaultValue("500ms") Duration backoff, @DefaultValue("") String token) {

    @Override
    public String toString() {
        return "HttpEnvironmentProperties[baseUrl=" + baseUrl + ", token=" + (token.isBlank() ? "none" : "***") + "]";
    }
}
