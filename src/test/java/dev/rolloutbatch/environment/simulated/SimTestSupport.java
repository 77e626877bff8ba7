package dev.rolloutbatch.environment.simulated;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.environment.EnvironmentSession;

final class SimTestSupport {

    static final ProblemCatalog CATALOG = new ProblemCatalog();
    static final SimulatedEnvironment ENV = new SimulatedEnvironment(CATALOG, RewardProperties.defaults());

    private SimTestSupport() {
    }

    static EnvironmentSession start(String problemId, long seed) {
        return ENV.start(CATALOG.get(problemId), seed);
    }

    static Problem problem(String id) {
        return CATALOG.get(id);
    }

    static String sh(EnvironmentSession session, String command) {
        return session.step(dev.rolloutbatch.agent.TextProtocol.shellCall(command)).observation();
    }

    /** The name of the first pod of a service, from kubectl's listing. */
    static String pod(EnvironmentSession session, String ns, String service) {
        for (String line : sh(session, "kubectl get pods -n " + ns).split("\n")) {
            String name = line.split("\\s+")[0];
            if (name.matches(java.util.regex.Pattern.quote(service) + "-[a-z0-9]+-[a-z0-9]+")) {
                return name;
            }
        }
        throw new AssertionError("no pod of " + service);
    }
}
