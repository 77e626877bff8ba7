package dev.rolloutbatch.agent.openai;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where the {@code openai} policy sends its requests, and with which credentials. Neither {@link #toString()}
 * nor {@link #displayUrl()} shows a secret: not the key, nor credentials inside the base URL (user info such as
 * {@code https://user:token@host/v1}, or a query such as {@code ?api-key=...}).
 *
 * @param apiKey       from {@code OPENAI_API_KEY}; may be null for local servers that need none
 * @param organization from {@code OPENAI_ORG_ID}, or null
 * @param requireKey   whether the endpoint needs {@code OPENAI_API_KEY}; null: every endpoint except one on
 *                     loopback ({@code 127.0.0.1}, {@code localhost}, {@code ::1})
 */
public record OpenAiEndpoint(String baseUrl, @Nullable String apiKey, @Nullable String organization,
        @Nullable Boolean requireKey) {

    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    static final String REDACTED = "[REDACTED]";

    public OpenAiEndpoint(String baseUrl, @Nullable String apiKey, @Nullable String organization) {
        this(baseUrl, apiKey, organization, null);
    }

    /** Reads {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}, {@code OPENAI_ORG_ID}; a set property wins for the URL. */
    public static OpenAiEndpoint from(Map<String, String> environment, OpenAiProperties properties,
            @Nullable Boolean requireKey) {
        String baseUrl = blankToNull(properties.baseUrl());
        if (baseUrl == null) {
            baseUrl = blankToNull(environment.get("OPENAI_BASE_URL"));
        }
        return new OpenAiEndpoint(baseUrl == null ? DEFAULT_BASE_URL : baseUrl,
                blankToNull(environment.get("OPENAI_API_KEY")), blankToNull(environment.get("OPENAI_ORG_ID")),
                requireKey);
    }

    public static OpenAiEndpoint from(Map<String, String> environment, OpenAiProperties properties) {
        return from(environment, properties, null);
    }

    /** Whether the base URL names this machine (a literal loopback address or {@code localhost}). */
    public boolean isLocal() {
        String host = uri() == null ? null : uri().getHost();
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false; // a name: never resolved here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        }
        catch (UnknownHostException ex) {
            return false;
        }
    }

    /** Whether a request without {@code OPENAI_API_KEY} would be refused here (or sent to a paid API unsigned). */
    public boolean needsKey() {
        return requireKey != null ? requireKey : !isLocal();
    }

    /** Whether the endpoint has what it needs to be called: the key, unless it needs none. */
    public boolean hasCredentials() {
        return apiKey != null || !needsKey();
    }

    /** The base URL without user info or query: what logs and messages show. */
    public String displayUrl() {
        URI uri = uri();
        if (uri == null || uri.getHost() == null) {
            return uri == null && baseUrl.contains("@") ? REDACTED : baseUrl.replaceAll("\\?.*", "?" + REDACTED);
        }
        StringBuilder out = new StringBuilder().append(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            out.append(REDACTED).append('@');
        }
        out.append(uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]"
                : uri.getHost());
        if (uri.getPort() != -1) {
            out.append(':').append(uri.getPort());
        }
        out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            out.append('?').append(REDACTED);
        }
        return out.toString();
    }

    /** The text with the API key and the base URL's credentials replaced, for error messages and logs. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        if (apiKey != null && !apiKey.isEmpty()) {
            scrubbed = scrubbed.replace(apiKey, REDACTED);
        }
        if (!displayUrl().equals(baseUrl)) {
            scrubbed = scrubbed.replace(baseUrl, displayUrl());
        }
        URI uri = uri();
        if (uri != null) {
            scrubbed = replaceSecret(scrubbed, uri.getRawUserInfo());
            scrubbed = replaceSecret(scrubbed, uri.getUserInfo());
            scrubbed = replaceSecret(scrubbed, uri.getRawQuery());
            scrubbed = replaceSecret(scrubbed, uri.getQuery());
        }
        return scrubbed;
    }

    private static String replaceSecret(String text, String secret) {
        return secret == null || secret.isEmpty() ? text : text.replace(secret, REDACTED);
    }

    private URI uri() {
        try {
            return URI.create(baseUrl);
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "OpenAiEndpoint[baseUrl=" + displayUrl() + ", apiKey=" + (apiKey == null ? "none" : REDACTED)
                + ", organization=" + organization + "]";
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
