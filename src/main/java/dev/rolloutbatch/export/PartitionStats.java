package dev.rolloutbatch.export;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.rolloutbatch.conversation.Usage;

/** What one partition of one format holds: its files and row counts, token and cost totals, source runs, splits. */
final class PartitionStats {

    record PartFile(String name, long rows, long bytes) {
    }

    private final List<PartFile> files = new ArrayList<>();
    private final SortedSet<Long> runIds = new TreeSet<>();
    private long rows;
    private long episodesWithoutRun;
    private Usage usage = Usage.ZERO;
    private BigDecimal cost = BigDecimal.ZERO;
    private long rowsWithoutCost;
    private final SortedMap<String, Long> statuses = new TreeMap<>();
    private final SortedMap<String, Long> splits = new TreeMap<>();
    private long episodesWithoutConversation;

    void add(EpisodeRow episode, String split) {
        rows++;
        statuses.merge(episode.status(), 1L, Long::sum);
        splits.merge(split, 1L, Long::sum);
        if (episode.runId() == null) {
            episodesWithoutRun++;
        }
        else {
            runIds.add(episode.runId());
        }
        usage = usage.plus(episode.usage());
        if (episode.costUsd() == null) {
            rowsWithoutCost++;
        }
        else {
            cost = cost.add(episode.costUsd());
        }
    }

    void addFile(PartFile file) {
        files.add(file);
    }

    List<PartFile> files() {
        return List.copyOf(files);
    }

    SortedSet<Long> runIds() {
        return runIds;
    }

    long rows() {
        return rows;
    }

    long episodesWithoutRun() {
        return episodesWithoutRun;
    }

    /** Rows per episode status (completed, failed, timeout). */
    SortedMap<String, Long> statuses() {
        return statuses;
    }

    /** Rows per split (train, validation, test). */
    SortedMap<String, Long> splits() {
        return splits;
    }

    long episodesWithoutConversation() {
        return episodesWithoutConversation;
    }

    void episodesWithoutConversation(long count) {
        this.episodesWithoutConversation = count;
    }

    Usage usage() {
        return usage;
    }

    /** Sum of the known costs, exact. */
    BigDecimal cost() {
        return cost;
    }

    long rowsWithoutCost() {
        return rowsWithoutCost;
    }
}
