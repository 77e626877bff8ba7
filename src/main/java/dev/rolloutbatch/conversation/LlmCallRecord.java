package dev.rolloutbatch.conversation;

import java.time.Instant;

/**
 * One completion request and its answer, as logged in {@code llm_call}.
 *
 * @param modelRequested the model the request named (priced by this name)
 * @param modelReported  the model the server said it used
 * @param attempts       HTTP attempts including retries
 * @param rawUsage       the usage object as the server sent it (JSON), or null
 * @param tokenIds       JSON with prompt/response token ids when the server returned them (vLLM), or null
 * @param logprobs       JSON array of per-token logprobs when requested, or null
 * @param error          why the request failed, or null
 */
public record LlmCallRecord(String requestId, String modelRequested, String modelReported, Instant startedAt,
        long latencyMs, String finishReason, int attempts, Usage usage, String rawUsage, String tokenIds,
        String logprobs, String error) {
}
