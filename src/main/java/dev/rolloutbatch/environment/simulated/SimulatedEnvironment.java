package dev.rolloutbatch.environment.simulated;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.rolloutbatch.catalog.Application;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.environment.AgentEnvironment;
import dev.rolloutbatch.environment.EnvironmentException;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.TaskBrief;

/**
 * The {@code simulated} environment: a deterministic, seedable twin of every catalog problem. Each session models
 * the application's namespace (deployments, pods, services, endpoints, config maps, events), injects the problem's
 * fault the way it shows on a real cluster, answers AIOpsLab's actions from that model (kubectl and docker never
 * touch the host) and grades as AIOpsLab does. The same problem and seed always give the same observations.
 */
@Component
public class SimulatedEnvironment implements AgentEnvironment {

    private final ProblemCatalog catalog;
    private final RewardProperties weights;
    /** The same problem always gets the same brief: one per problem, shared by its episodes. */
    private final Map<Problem, TaskBrief> briefs = new ConcurrentHashMap<>();

    public SimulatedEnvironment(ProblemCatalog catalog, RewardProperties weights) {
        this.catalog = catalog;
        this.weights = weights == null ? RewardProperties.defaults() : weights;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public EnvironmentSession start(Problem problem, long seed) {
        Application app;
        try {
            app = catalog.application(problem.application());
        }
        catch (IllegalArgumentException ex) {
            throw new EnvironmentException("simulated environment cannot start " + problem.id() + ": " + ex.getMessage(), ex);
        }
        Cluster cluster = ClusterFactory.create(app, problem, seed);
        TaskBrief brief = briefs.computeIfAbsent(problem, p -> TaskTexts.brief(p, app));
        return new SimulatedSession(problem, cluster, brief, weights);
    }

    @Override
    public Set<String> servedProblemIds() {
        Set<String> ids = new LinkedHashSet<>();
        catalog.problems().forEach(p -> ids.add(p.id()));
        return ids;
    }
}
