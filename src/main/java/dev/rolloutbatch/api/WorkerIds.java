package dev.rolloutbatch.api;

import dev.rolloutbatch.episode.ProcessName;

/** One id per worker, the same everywhere it appears: {@code <host>-<pid>-worker-<n>}. */
final class WorkerIds {

    private WorkerIds() {
    }

    static String prefix(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return ProcessName.current();
    }

    static String of(String prefix, int n) {
        return prefix + "-worker-" + n;
    }
}
