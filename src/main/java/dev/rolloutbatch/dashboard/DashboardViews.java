package dev.rolloutbatch.dashboard;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.rolloutbatch.episode.Outcome;

/** The JSON shapes of {@code /api/dashboard}. */
final class DashboardViews {

    private DashboardViews() {
    }

    /** One page of a list: the items, how many match in all, and the window. */
    record Page<T>(List<T> items, long total, int limit, int offset) {
    }

    /**
     * A run with its live progress, counted from its episodes (so it moves while any process runs it).
     * Rates are over finished episodes; {@code aiopslabSucceeded} is AIOpsLab's own verdict.
     */
    record RunRow(long id, LocalDate runDate, String status, String model, String policy, String environment,
            String problemsSource, Instant startedAt, Instant endedAt, Double durationSeconds, long episodes,
            long pending, long running, long finished, long succeeded, long aiopslabSucceeded, long failed,
            Double successRate, Double aiopslabSuccessRate, double progress, long inputTokens, long outputTokens,
            BigDecimal costUsd) {
    }

    record Bin(double low, double high, long count) {
    }

    record Count(String key, long count) {
    }

    record ModelSpend(String model, long conversations, long llmCalls, long inputTokens, long cacheReadTokens,
            long outputTokens, long reasoningTokens, BigDecimal costUsd, long unpricedCalls) {
    }

    record Latency(long calls, Double p50, Double p90, Double p99, Long max, List<LatencyBucket> overTime) {
    }

    record LatencyBucket(Instant from, long calls, Double p50, Double p90, Double p99) {
    }

    record EpisodeRow(long id, long runId, String problemId, String taskType, int sampleIndex, String status,
            Boolean success, Boolean aiopslabSuccess, Double reward, Integer steps, Double seconds,
            long inputTokens, long outputTokens, BigDecimal costUsd, String failureClass) {
    }

    record RunDetail(RunRow run, List<Outcome> byTaskType, List<Bin> rewardHistogram,
            List<Count> failureClasses, boolean failureClassesRecorded, List<ModelSpend> byModel, Latency latency,
            List<EpisodeRow> slowest, List<EpisodeRow> mostExpensive) {
    }

    record CompareSide(long episodes, long finished, long succeeded, long aiopslabSucceeded, Double successRate,
            Double aiopslabSuccessRate, Double meanReward) {
    }

    record CompareRow(String problemId, String taskType, CompareSide a, CompareSide b, Double successDelta) {
    }

    record Comparison(RunRow a, RunRow b, Page<CompareRow> problems) {
    }

    record MessageRow(int seq, String role, String content, String name, JsonNode toolCalls, String toolCallId,
            int step, Instant createdAt) {
    }

    record CallRow(int seq, int step, String modelRequested, String modelReported, Instant startedAt,
            long latencyMs, String finishReason, int attempts, long inputUncachedTokens, long cacheReadTokens,
            long cacheWriteTokens, long outputTokens, long reasoningTokens, boolean usageEstimated,
            BigDecimal costUsd, JsonNode logprobs, String error) {
    }

    record ConversationDetail(String id, int attempt, String status, String model, String protocol,
            JsonNode sampling, Instant startedAt, Instant endedAt, List<MessageRow> messages, List<CallRow> calls) {
    }

    record EpisodeDetail(EpisodeRow episode, String application, String model, String policy, String environment,
            int maxSteps, Instant startedAt, Instant endedAt, String error, JsonNode evaluation, String solution,
            List<ConversationDetail> conversations) {
    }
}
