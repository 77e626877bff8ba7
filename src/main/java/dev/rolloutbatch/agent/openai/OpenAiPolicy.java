package dev.rolloutbatch.agent.openai;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

import java.time.Duration;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.agent.Policy;
import dev.rolloutbatch.agent.PolicyException;
import dev.rolloutbatch.agent.PolicyRequest;
import dev.rolloutbatch.agent.PolicySession;
import dev.rolloutbatch.conversation.TokenEstimator;

/**
 * The {@code openai} policy: any OpenAI-compatible Chat Completions endpoint (OpenAI, Azure, vLLM, SGLang, Ollama,
 * LiteLLM, OpenRouter) through the official client. One client, one set of limits, shared by every episode.
 */
@Component
public class OpenAiPolicy implements Policy, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OpenAiPolicy.class);

    public static final String NAME = "openai";

    static final String KEYLESS = "EMPTY";

    private final OpenAiEndpoint endpoint;
    private final OpenAiProperties properties;
    private final TokenEstimator tokens;
    private final EndpointLimits limits;
    private volatile OpenAIClient client;

    public OpenAiPolicy(OpenAiEndpoint endpoint, OpenAiProperties properties, TokenEstimator tokens) {
        this.endpoint = endpoint;
        this.properties = properties;
        this.tokens = tokens;
        this.limits = new EndpointLimits(properties.maxConcurrency(), properties.requestsPerMinute(),
                properties.tokensPerMinute());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PolicySession open(PolicyRequest request) {
        if (request.settings().model() == null || request.settings().model().isBlank()) {
            throw new PolicyException("openai: no model given (job parameter model=...)",
                    PolicyException.Kind.SERVER_ERROR);
        }
        return new OpenAiSession(request, new CompletionClient(client(), endpoint, limits, properties), properties,
                tokens);
    }

    /**
     * The endpoint needs its key (unless it is local or configured to need none) and must at least accept a
     * connection; a missing key, or a refused or unresolvable endpoint, fails the run up front.
     */
    @Override
    public void checkReady() {
        if (!endpoint.hasCredentials()) {
            throw new IllegalStateException("OPENAI_API_KEY is not set and the endpoint " + endpoint.displayUrl()
                    + " needs it: export OPENAI_API_KEY (an endpoint on 127.0.0.1/localhost needs none; for another"
                    + " keyless server set rollout.openai.require-key=false)");
        }
        URI uri;
        try {
            uri = URI.create(endpoint.baseUrl());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("the OpenAI-compatible base URL " + endpoint.displayUrl()
                    + " is not a URL; set OPENAI_BASE_URL or rollout.openai.base-url to e.g. http://127.0.0.1:8000/v1");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), 5_000);
        }
        catch (IOException | IllegalArgumentException ex) {
            throw new IllegalStateException("the OpenAI-compatible endpoint " + endpoint.displayUrl()
                    + " cannot be reached (" + ex.getClass().getSimpleName() + ": " + endpoint.scrub(ex.getMessage())
                    + "); set OPENAI_BASE_URL to a server that answers");
        }
    }

    @Override
    public boolean isConfigured() {
        return endpoint.hasCredentials();
    }

    @Override
    public boolean requestedByConfiguration() {
        return properties.baseUrl() != null && !properties.baseUrl().isBlank();
    }

    private OpenAIClient client() {
        OpenAIClient current = client;
        if (current == null) {
            synchronized (this) {
                current = client;
                if (current == null) {
                    current = build();
                    client = current;
                    log.info("openai policy: endpoint {}, {} attempts, {} in flight at most", endpoint.displayUrl(),
                            properties.maxAttempts(), properties.maxConcurrency());
                }
            }
        }
        return current;
    }

    private OpenAIClient build() {
        Duration t = properties.timeout();
        Duration connect = t.compareTo(Duration.ofSeconds(10)) < 0 ? t : Duration.ofSeconds(10);
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder().baseUrl(endpoint.baseUrl())
            .maxRetries(0) // attempts are ours, counted and logged
            .timeout(Timeout.builder().connect(connect).read(t).write(t).request(t).build())
            .maxIdleConnections(Math.max(5, properties.maxConcurrency()))
            .keepAliveDuration(Duration.ofMinutes(5))
            .disableTelemetry(true);
        // The client refuses to build without a key; a keyless local server (vLLM, Ollama) ignores the header, and
        // "EMPTY" is the placeholder vLLM's own documentation gives the OpenAI client.
        builder.apiKey(endpoint.apiKey() != null ? endpoint.apiKey() : KEYLESS);
        if (endpoint.organization() != null) {
            builder.organization(endpoint.organization());
        }
        return builder.build();
    }

    @Override
    public void destroy() {
        OpenAIClient current = client;
        if (current != null) {
            current.close();
        }
    }
}
