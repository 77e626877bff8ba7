package dev.rolloutbatch.catalog;

/**
 * One AIOpsLab problem with its ground truth, as in AIOpsLab's registry.
 *
 * @param expectedDetection "Yes" when a fault is injected, "No" for the no-op problems
 */
public record Problem(
        String id,
        TaskType taskType,
        String faultFamily,
        String application,
        String namespace,
        String faultyService,
        String systemLevel,
        String faultType,
        String deployment,
        String expectedDetection) {

    public boolean isNoop() {
        return "No".equalsIgnoreCase(expectedDetection);
    }
}
