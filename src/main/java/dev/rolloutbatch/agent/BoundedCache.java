package dev.rolloutbatch.agent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values that many episodes would otherwise build alike (opening messages, their JSON, URLs), built once and shared
 * between threads. It empties itself when full, so it stays small whatever a run asks for; two threads may build
 * the same value at once, which costs a little work and never a wrong answer, as the values are equal.
 */
public final class BoundedCache<K, V> {

    private final int capacity;
    private final Map<K, V> values = new ConcurrentHashMap<>();

    public BoundedCache(int capacity) {
        this.capacity = capacity;
    }

    public V get(K key, Function<? super K, ? extends V> build) {
        V value = values.get(key);
        if (value == null) {
            value = build.apply(key);
            if (values.size() >= capacity) {
                values.clear();
            }
            values.put(key, value);
        }
        return value;
    }
}
