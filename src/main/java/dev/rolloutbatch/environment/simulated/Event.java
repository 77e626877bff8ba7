package dev.rolloutbatch.environment.simulated;

/** One Kubernetes event, as {@code kubectl get events} shows it. */
record Event(long at, String type, String reason, String object, String message) {
}
