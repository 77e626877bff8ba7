package dev.rolloutbatch.launch;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves out the auto-configurations that the process's mode never uses, before Spring reads them: parsing them,
 * evaluating their conditions and creating their beans was a tenth of a batch run's start-up.
 * <ul>
 * <li>the actuator, health, Micrometer metrics and observations: only the server ({@code serve} profile) exposes
 * them ({@code /health}, {@code /actuator/prometheus}); a batch run or a worker has no endpoint to show them on;</li>
 * <li>RabbitMQ: only a distributed run uses it (the {@code worker} profile, {@code rollout.distribution.enabled}).</li>
 * </ul>
 * Registered in {@code META-INF/spring.factories}; Spring Boot calls it with the prepared environment.
 */
class RunModeAutoConfigurations implements AutoConfigurationImportFilter, EnvironmentAware {

    private static final String[] MANAGEMENT_PACKAGES = { ".actuate.", ".health.", ".metrics.", ".observation." };

    private static final String MICROMETER = "org.springframework.boot.micrometer.";

    private static final String RABBIT = "org.springframework.boot.amqp.";

    private boolean management = true;

    private boolean rabbit = true;

    @Override
    public void setEnvironment(Environment environment) {
        management = environment.matchesProfiles("serve");
        rabbit = environment.matchesProfiles("worker")
                || environment.getProperty("rollout.distribution.enabled", Boolean.class, false);
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < matches.length; i++) {
            String name = autoConfigurationClasses[i];
            matches[i] = name == null || (management || !isManagement(name)) && (rabbit || !name.startsWith(RABBIT));
        }
        return matches;
    }

    static boolean isManagement(String autoConfigurationClass) {
        if (autoConfigurationClass.startsWith(MICROMETER)) {
            return true;
        }
        for (String part : MANAGEMENT_PACKAGES) {
            if (autoConfigurationClass.contains(part)) {
                return true;
            }
        }
        return false;
    }
}
