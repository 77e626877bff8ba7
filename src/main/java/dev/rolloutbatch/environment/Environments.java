package dev.rolloutbatch.environment;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/** The environments this application has, by name. */
@Component
public class Environments {

    private final Map<String, AgentEnvironment> byName;

    public Environments(List<AgentEnvironment> environments) {
        this.byName = environments.stream()
            .collect(Collectors.toMap(AgentEnvironment::name, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    public AgentEnvironment get(String name) {
        AgentEnvironment environment = byName.get(name);
        if (environment == null) {
            throw new IllegalArgumentException("unknown environment '" + name + "' (known: "
                    + String.join(", ", byName.keySet()) + ")");
        }
        return environment;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }
}
