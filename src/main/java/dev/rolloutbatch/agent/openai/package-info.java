/**
 * The OpenAI-compatible policy. Exposed (named interface {@code openai}) only so that the HTTP API can ask whether
 * an endpoint is configured ({@link dev.rolloutbatch.agent.openai.OpenAiEndpoint}); the client, request building,
 * backoff and usage normalisation are package-private.
 */
@NamedInterface("openai")
@NullMarked
package dev.rolloutbatch.agent.openai;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
