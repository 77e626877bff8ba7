package dev.rolloutbatch.catalog;

import java.util.List;

/** One AIOpsLab application (a microservice deployment) and its services. */
public record Application(
        String name, String namespace, String podLabelKey, String description, List<String> services) {
}
