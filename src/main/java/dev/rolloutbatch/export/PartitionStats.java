package dev.rolloutbatch.export;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** What one partition holds: its files and row counts, token and cost totals, source runs. */
final class PartitionStats {

    record PartFile(String name, long rows, long bytes) {
    }

    private final List<PartFile> files = new ArrayList<>();
    private final SortedSet<Long> runIds = new TreeSet<>();
    private long rows;
    private long episodesWithoutRun;
    private EpisodeRow.Usage usage = EpisodeRow.Usage.ZERO;
    private BigDecimal cost = BigDecimal.ZERO;
    private long rowsWithoutCost;

    void add(EpisodeRow episode) {
        rows++;
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

    EpisodeRow.Usage usage() {
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
