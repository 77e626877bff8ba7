package dev.rolloutbatch.conversation;

/**
 * Token usage of one completion in non-overlapping buckets: {@code inputUncached + cacheRead + cacheWrite} is
 * everything the model read, {@code output} everything it wrote; {@code reasoning} is the part of
 * {@code output} spent on hidden reasoning (not an extra bucket).
 *
 * @param estimated true when the provider reported no usage and the counts were estimated locally
 */
public record Usage(long inputUncached, long cacheRead, long cacheWrite, long output, long reasoning,
        boolean estimated) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, false);

    public long input() {
        return inputUncached + cacheRead + cacheWrite;
    }

    public long total() {
        return input() + output;
    }

    public Usage plus(Usage other) {
        return new Usage(inputUncached + other.inputUncached, cacheRead + other.cacheRead,
                cacheWrite + other.cacheWrite, output + other.output, reasoning + other.reasoning,
                estimated || other.estimated);
    }

    /**
     * Normalises OpenAI's report, where cached tokens are counted inside {@code prompt_tokens} and reasoning
     * tokens inside {@code completion_tokens}.
     */
    public static Usage fromOpenAi(long promptTokens, long cachedTokens, long completionTokens, long reasoningTokens) {
        return new Usage(promptTokens - cachedTokens, cachedTokens, 0, completionTokens, reasoningTokens, false);
    }
}
