package dev.rolloutbatch.agent;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedCacheTests {

    private final List<String> built = new ArrayList<>();

    private final BoundedCache<String, String> cache = new BoundedCache<>(2);

    private String build(String key) {
        built.add(key);
        return key.toUpperCase(java.util.Locale.ROOT);
    }

    @Test
    void buildsEachValueOnceAndHandsOutTheSameInstance() {
        String first = cache.get("a", this::build);

        assertThat(cache.get("a", this::build)).isSameAs(first).isEqualTo("A");
        assertThat(built).containsExactly("a");
    }

    @Test
    void emptiesItselfWhenFullSoThatItStaysSmall() {
        cache.get("a", this::build);
        cache.get("b", this::build);
        cache.get("c", this::build);

        cache.get("c", this::build);
        cache.get("a", this::build);

        assertThat(built).containsExactly("a", "b", "c", "a");
    }
}
