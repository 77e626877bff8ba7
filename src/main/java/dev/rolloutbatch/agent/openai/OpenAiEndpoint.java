package dev.rolloutbatch.agent.openai;

import java.util.Map;

/**
 * Where the {@code openai} policy sends its requests, and with which credentials. {@link #toString()} never
 * shows the key.
 *
 * @param apiKey       from {@code OPENAI_API_KEY}; may be null for local servers that need none
 * @param organization from {@code OPENAI_ORG_ID}, or null
 */
public record OpenAiEndpoint(String baseUrl, String apiKey, String organization) {

    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    static final String REDACTED = "[REDACTED]";

    /** Reads {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}, {@code OPENAI_ORG_ID}; a set property wins for the URL. */
    public static OpenAiEndpoint from(Map<String, String> environment, OpenAiProperties properties) {
        String baseUrl = blankToNull(properties.baseUrl());
        if (baseUrl == null) {
            baseUrl = blankToNull(environment.get("OPENAI_BASE_URL"));
        }
        return new OpenAiEndpoint(baseUrl == null ? DEFAULT_BASE_URL : baseUrl,
                blankToNull(environment.get("OPENAI_API_KEY")), blankToNull(environment.get("OPENAI_ORG_ID")));
    }

    /** The text with every occurrence of the API key replaced, for error messages and logs. */
    public String scrub(String text) {
        if (text == null || apiKey == null || apiKey.isEmpty()) {
            return text;
        }
        return text.replace(apiKey, REDACTED);
    }

    @Override
    public String toString() {
        return "OpenAiEndpoint[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : REDACTED)
                + ", organization=" + organization + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
