package dev.rolloutbatch.agent.openai;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.rolloutbatch.agent.BoundedCache;

/**
 * One HTTP attempt of a Chat Completions request, over HTTP/1.1 with kept-alive connections, one transport per
 * endpoint: {@link PlainHttp} for a plain {@code http://} endpoint reached directly, the JDK's HTTP client for TLS
 * and proxies. The request is what the official OpenAI clients send: {@code POST
 * <base>/chat/completions} with a JSON body, {@code Authorization: Bearer <key>} and {@code OpenAI-Organization}
 * when set; an Azure OpenAI resource gets its key as {@code api-key}, and a resource URL without {@code /openai/v1}
 * gets the deployment path and an {@code api-version}, as the official Java client does for such URLs.
 */
final class ChatTransport implements AutoCloseable {

    /** The API version the official Java client sends to an Azure resource URL that names none. */
    static final String AZURE_API_VERSION = "2024-10-21";

    private static final String[] AZURE_HOSTS = { ".openai.azure.com", ".services.ai.azure.com", ".azure-api.net",
            ".cognitiveservices.azure.com" };

    /** The JDK's client, for TLS and proxied endpoints; null when {@link #plain} serves the endpoint. */
    private final @Nullable HttpClient client;
    private final Duration timeout;
    private final String[] headers;
    private final URI base;
    private final boolean azure;
    /** Each model's URL, built once (a run asks for one model in every episode). */
    private final BoundedCache<String, URI> uris = new BoundedCache<>(64);

    /** Plain HTTP without a proxy; null for TLS or a proxied endpoint, which the JDK's client serves. */
    private final @Nullable PlainHttp plain;

    /**
     * What one attempt got back: a status, its headers and the whole body.
     *
     * @param headers name, value, name, value... as received
     */
    record Exchange(int status, List<String> headers, byte[] body) {

        /** The first value of a header, its name compared ignoring case; null when absent. */
        @Nullable String header(String name) {
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                if (headers.get(i).equalsIgnoreCase(name)) {
                    return headers.get(i + 1);
                }
            }
            return null;
        }

        static List<String> of(HttpHeaders headers) {
            List<String> pairs = new ArrayList<>();
            headers.map().forEach((name, values) -> values.forEach(value -> {
                pairs.add(name);
                pairs.add(value);
            }));
            return pairs;
        }
    }

    ChatTransport(OpenAiEndpoint endpoint, String apiKey, Duration timeout) {
        this(endpoint, apiKey, timeout, true);
    }

    /** @param plainWhenPossible false: the JDK's client even for a plain, direct endpoint (tests compare the two) */
    ChatTransport(OpenAiEndpoint endpoint, String apiKey, Duration timeout, boolean plainWhenPossible) {
        this.timeout = timeout;
        this.base = withoutUserInfo(URI.create(endpoint.baseUrl().strip()));
        String host = base.getHost() == null ? "" : base.getHost().toLowerCase(Locale.ROOT);
        this.azure = isAzureHost(host);
        this.headers = headers(endpoint, apiKey, azure);
        Duration connect = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
        this.plain = plainWhenPossible && PlainHttp.serves(base) ? new PlainHttp(base, headers, connect, timeout) : null;
        this.client = plain != null ? null : HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connect)
            .followRedirects(HttpClient.Redirect.NEVER)
            // The client's own steps (parse the status line, gather the body, complete the future) never block:
            // running them where they arise saves a thread hand-off per step, most of the client's CPU.
            .executor(Runnable::run)
            .build();
    }

    /** The Chat Completions URL for this model (Azure resource URLs name the deployment in the path). */
    URI uriFor(String model) {
        return uris.get(model, this::buildUri);
    }

    private URI buildUri(String model) {
        String path = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String query = base.getRawQuery();
        if (azure && !path.endsWith("/openai/v1")) {
            path += "/openai/deployments/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
            if (query == null || !query.contains("api-version=")) {
                query = (query == null ? "" : query + "&") + "api-version=" + AZURE_API_VERSION;
            }
        }
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + "/chat/completions"
                + (query == null ? "" : "?" + query));
    }

    /**
     * Sends the body and reads the whole answer, within the attempt's timeout.
     *
     * @throws HttpTimeoutException when no complete answer came within the timeout
     * @throws IOException          when the connection failed or was dropped
     */
    Exchange send(URI uri, ChatRequestBody.Parts body) throws IOException, InterruptedException {
        if (client == null) {
            return plain.post(uri, body);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .headers(headers)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.concatenated()))
            .build();
        CompletableFuture<HttpResponse<byte[]>> response = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        try {
            // The request timeout ends at the response's headers; this one also covers a body that stalls.
            HttpResponse<byte[]> answer = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Exchange(answer.statusCode(), Exchange.of(answer.headers()), answer.body());
        }
        catch (TimeoutException ex) {
            response.cancel(true);
            throw new HttpTimeoutException("request timed out after " + timeout.toMillis() + " ms");
        }
        catch (InterruptedException ex) {
            response.cancel(true);
            throw ex;
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? "request failed" : cause.toString(), cause);
        }
    }

    private static String[] headers(OpenAiEndpoint endpoint, String apiKey, boolean azure) {
        List<String> headers = new ArrayList<>(List.of("Content-Type",
                "application/json", "Accept", "application/json", "User-Agent", "rollout-batch"));
        if (azure) {
            headers.addAll(List.of("api-key", apiKey));
        }
        else {
            headers.addAll(List.of("Authorization", "Bearer " + apiKey));
        }
        if (endpoint.organization() != null) {
            headers.addAll(List.of("OpenAI-Organization", endpoint.organization()));
        }
        return headers.toArray(String[]::new);
    }

    static boolean isAzureHost(String host) {
        for (String suffix : AZURE_HOSTS) {
            if (host.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** Credentials in the URL are never sent as such (the official client does not either). */
    private static URI withoutUserInfo(URI uri) {
        String authority = uri.getRawAuthority();
        if (authority == null || !authority.contains("@")) {
            return uri;
        }
        return URI.create(uri.getScheme() + "://" + authority.substring(authority.lastIndexOf('@') + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    @Override
    public void close() {
        if (plain != null) {
            plain.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
