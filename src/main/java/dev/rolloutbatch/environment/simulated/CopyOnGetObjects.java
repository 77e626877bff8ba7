package dev.rolloutbatch.environment.simulated;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes objects by name that start out shared with every other episode of the application (the blueprint's,
 * see {@link ClusterFactory}) and are copied into this cluster the first time {@link #get} hands one out, since
 * whoever gets an object may change it. Most episodes change a few objects or none, so a thousand clusters in
 * flight hold one set of deployments between them instead of a thousand. Reads that change nothing use
 * {@link #peek}; iterating gives the objects as they are (shared or not), to be read only.
 */
final class CopyOnGetObjects extends LinkedHashMap<String, ObjectNode> {

    private final Set<ObjectNode> shared = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Adds an object shared with other clusters: never changed in place, copied by {@link #get} first. */
    void putShared(String name, ObjectNode object) {
        put(name, object);
        shared.add(object);
    }

    /** The object, this cluster's own (copied if it was shared), which the caller may change. */
    @Override
    public @Nullable ObjectNode get(Object name) {
        ObjectNode object = super.get(name);
        if (object != null && shared.remove(object)) {
            object = object.deepCopy();
            put((String) name, object);
        }
        return object;
    }

    @Override
    public ObjectNode getOrDefault(Object name, ObjectNode otherwise) {
        ObjectNode object = get(name);
        return object == null ? otherwise : object;
    }

    /** The object as it is, shared or not: to be read, never changed. */
    @Nullable ObjectNode peek(String name) {
        return super.get(name);
    }
}
