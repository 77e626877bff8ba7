package dev.rolloutbatch.export;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;

/**
 * The expected answer of a problem as a JSON string, per task type, from the problem catalog:
 * detection {@code {"detection": "Yes"}}, localization {@code {"faulty_services": [...]}}, analysis
 * {@code {"system_level": ..., "fault_type": ...}}, mitigation {@code {"faulty_service", "fault_type",
 * "namespace"}} (mitigation is judged on the environment's state; this names what must be repaired).
 */
class GroundTruth {

    private final ProblemCatalog catalog;

    GroundTruth(ProblemCatalog catalog) {
        this.catalog = catalog;
    }

    /** Null for a problem the catalog does not know. */
    @Nullable String of(String problemId) {
        Problem p = catalog.find(problemId).orElse(null);
        if (p == null) {
            return null;
        }
        ObjectNode node = Json.MAPPER.createObjectNode().put("task_type", p.taskType().id());
        switch (p.taskType()) {
            case DETECTION -> node.put("detection", p.expectedDetection());
            case LOCALIZATION -> {
                ArrayNode services = node.putArray("faulty_services");
                Arrays.stream(p.faultyService().split("[;,]")).map(String::strip).filter(s -> !s.isEmpty())
                        .forEach(services::add);
            }
            case ANALYSIS -> node.put("system_level", p.systemLevel()).put("fault_type", p.faultType());
            case MITIGATION -> node.put("faulty_service", p.faultyService()).put("fault_type", p.faultType())
                    .put("namespace", p.namespace());
        }
        return Json.MAPPER.writeValueAsString(node);
    }
}
