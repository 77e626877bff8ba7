package dev.rolloutbatch.agent;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/** The policies this application has, by name. */
@Component
public class Policies {

    private final Map<String, Policy> byName;

    public Policies(List<Policy> policies) {
        this.byName = policies.stream()
            .collect(Collectors.toMap(Policy::name, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    public Policy get(String name) {
        Policy policy = byName.get(name);
        if (policy == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "' (known: "
                    + String.join(", ", byName.keySet()) + ")");
        }
        return policy;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** Every policy, by name. */
    public java.util.Collection<Policy> all() {
        return byName.values();
    }
}
