package dev.rolloutbatch.api;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** One id per worker, the same everywhere it appears: {@code <host>-<pid>-worker-<n>}. */
final class WorkerIds {

    private WorkerIds() {
    }

    static String prefix(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    static String of(String prefix, int n) {
        return prefix + "-worker-" + n;
    }
}
