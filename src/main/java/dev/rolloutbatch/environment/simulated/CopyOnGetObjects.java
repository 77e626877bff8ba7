package dev.rolloutbatch.environment.simulated;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes objects by name that start out shared with every other episode of the application (the blueprint's,
 * see {@link ClusterFactory}) and are copied into this cluster the first time {@link #get} hands one out, since
 * whoever gets an object may change it. Most episodes change a few objects or none, so a thousand clusters in
 * flight hold one set of deployments between them instead of a thousand. Reads that change nothing use
 * {@link #peek}; iterating gives the objects as they are (shared or not), to be read only. An object may also be
 * put as a recipe ({@link #putLazy}), built the first time anything but its name is asked for.
 */
final class CopyOnGetObjects extends LinkedHashMap<String, ObjectNode> {

    /** Stands in for an object not built yet; never handed out. */
    private static final ObjectNode NOT_BUILT = Cluster.JSON.createObjectNode();

    private final Set<ObjectNode> shared = Collections.newSetFromMap(new IdentityHashMap<>());
    private @Nullable Map<String, Supplier<ObjectNode>> recipes;

    /** Adds an object shared with other clusters: never changed in place, copied by {@link #get} first. */
    void putShared(String name, ObjectNode object) {
        put(name, object);
        shared.add(object);
    }

    /** Adds an object, shared like {@link #putShared}'s, that is built when first read (in its place in the order). */
    void putLazy(String name, Supplier<ObjectNode> recipe) {
        put(name, NOT_BUILT);
        if (recipes == null) {
            recipes = new HashMap<>();
        }
        recipes.put(name, recipe);
    }

    /** The object, this cluster's own (copied if it was shared), which the caller may change. */
    @Override
    public @Nullable ObjectNode get(Object name) {
        ObjectNode object = peek((String) name);
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
        ObjectNode object = super.get(name);
        return object == NOT_BUILT ? build(name) : object;
    }

    @Override
    public @Nullable ObjectNode remove(Object name) {
        ObjectNode object = peek((String) name);
        super.remove(name);
        return object;
    }

    @Override
    public @Nullable ObjectNode put(String name, ObjectNode object) {
        if (recipes != null && object != NOT_BUILT) {
            recipes.remove(name);
        }
        return super.put(name, object);
    }

    @Override
    public Set<Map.Entry<String, ObjectNode>> entrySet() {
        buildAll();
        return super.entrySet();
    }

    @Override
    public Collection<ObjectNode> values() {
        buildAll();
        return super.values();
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super ObjectNode> action) {
        buildAll();
        super.forEach(action);
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super ObjectNode, ? extends ObjectNode> function) {
        buildAll();
        super.replaceAll(function);
    }

    private ObjectNode build(String name) {
        ObjectNode object = recipes.remove(name).get();
        putShared(name, object);
        return object;
    }

    private void buildAll() {
        if (recipes != null && !recipes.isEmpty()) {
            for (String name : Set.copyOf(recipes.keySet())) {
                build(name);
            }
        }
    }
}
