package dev.rolloutbatch.agent.openai;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

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
 * LiteLLM, OpenRouter) over the JDK's HTTP client, speaking the protocol of the official clients. One client, one set
 * of limits, shared by every episode.
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
    private volatile ChatTransport transport;

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
        ChatTransport current = transport();
        return new OpenAiSession(request, new CompletionClient(current, endpoint, limits, properties),
                current.uriFor(request.settings().model()), properties, tokens);
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

    private ChatTransport transport() {
        ChatTransport current = transport;
        if (current == null) {
            synchronized (this) {
                current = transport;
                if (current == null) {
                    // A keyless local server (vLLM, Ollama) ignores the header; "EMPTY" is the placeholder vLLM's
                    // own documentation gives the OpenAI client.
                    current = new ChatTransport(endpoint, endpoint.apiKey() != null ? endpoint.apiKey() : KEYLESS,
                            properties.timeout());
                    transport = current;
                    log.info("openai policy: endpoint {}, {} attempts, {} in flight at most", endpoint.displayUrl(),
                            properties.maxAttempts(), properties.maxConcurrency());
                }
            }
        }
        return current;
    }

    @Override
    public void destroy() {
        ChatTransport current = transport;
        if (current != null) {
            current.close();
        }
    }
}
