package dev.rolloutbatch.environment.simulated;

/** One modelled pod (or Docker container); its state is recomputed by {@link Cluster#reconcile()}. */
final class Pod {

    final String name;
    final String service;
    final String hash;
    final String ip;
    final long createdAt;
    String node;
    String status = "Running";
    boolean ready = true;
    int restarts;
    String waitingReason;
    String lastTerminated;
    /** Chaos Mesh's pod-failure swapped the container's image for a pause image (the pod stays Running). */
    boolean paused;
    /** The mongod.conf the pod's container read when it started (config is read once, at start), or null. */
    String mountedConfig;

    Pod(String name, String service, String hash, String node, String ip, long createdAt) {
        this.name = name;
        this.service = service;
        this.hash = hash;
        this.node = node;
        this.ip = ip;
        this.createdAt = createdAt;
    }

    String readyColumn() {
        return (ready ? 1 : 0) + "/1";
    }

    boolean scheduled() {
        return !"Pending".equals(status);
    }
}
