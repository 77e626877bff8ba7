package dev.rolloutbatch.environment.simulated;

import tools.jackson.core.JsonPointer;

/** The JSON pointers the twin reads on every step, compiled once ({@code JsonNode.at(String)} compiles per call). */
final class Pointers {

    static final JsonPointer TEMPLATE = JsonPointer.compile("/spec/template");
    static final JsonPointer POD_SPEC = JsonPointer.compile("/spec/template/spec");
    static final JsonPointer TEMPLATE_LABELS = JsonPointer.compile("/spec/template/metadata/labels");
    static final JsonPointer REPLICAS = JsonPointer.compile("/spec/replicas");
    static final JsonPointer MATCH_LABELS = JsonPointer.compile("/spec/selector/matchLabels");
    static final JsonPointer REVISION = JsonPointer.compile("/metadata/annotations/deployment.kubernetes.io~1revision");
    static final JsonPointer LABELS = JsonPointer.compile("/metadata/labels");
    static final JsonPointer SERVICE_TYPE = JsonPointer.compile("/spec/type");
    static final JsonPointer CLUSTER_IP = JsonPointer.compile("/spec/clusterIP");
    static final JsonPointer SELECTOR = JsonPointer.compile("/spec/selector");
    static final JsonPointer PORTS = JsonPointer.compile("/spec/ports");
    static final JsonPointer FIRST_PORT = JsonPointer.compile("/spec/ports/0");
    static final JsonPointer PHASE = JsonPointer.compile("/status/phase");
    static final JsonPointer VOLUME_NAME = JsonPointer.compile("/spec/volumeName");
    static final JsonPointer STORAGE_CLASS = JsonPointer.compile("/spec/storageClassName");
    static final JsonPointer MONGOD_CONF = JsonPointer.compile("/data/mongod.conf");
    static final JsonPointer FLAGD_JSON = JsonPointer.compile("/data/demo.flagd.json");

    private Pointers() {
    }
}
