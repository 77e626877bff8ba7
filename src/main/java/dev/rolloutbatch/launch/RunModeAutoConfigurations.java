package dev.rolloutbatch.launch;

import java.util.Set;

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
 * <li>RabbitMQ: only a distributed run uses it (the {@code worker} profile, {@code rollout.distribution.enabled});</li>
 * <li>Jackson's shared mapper, HTTP message converters, bean validation, the message source (the only
 * {@code messages.properties} on the class path is Hadoop's), task executors and schedulers, SSL bundles: a
 * single-process batch run (collect, export, runs) uses none of them (its JSON mappers are its own); the server
 * and distributed runs keep them.</li>
 * </ul>
 * Registered in {@code META-INF/spring.factories}; Spring Boot calls it with the prepared environment.
 */
class RunModeAutoConfigurations implements AutoConfigurationImportFilter, EnvironmentAware {

    private static final String[] MANAGEMENT_PACKAGES = { ".actuate.", ".health.", ".metrics.", ".observation." };

    private static final String MICROMETER = "org.springframework.boot.micrometer.";

    private static final String RABBIT = "org.springframework.boot.amqp.";

    private static final Set<String> SERVER_AND_DISTRIBUTED = Set.of(
            "org.springframework.boot.autoconfigure.context.MessageSourceAutoConfiguration",
            "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
            "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration",
            "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration",
            "org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration",
            "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
            "org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration");

    private boolean management = true;

    private boolean rabbit = true;

    private boolean serverOrDistributed = true;

    @Override
    public void setEnvironment(Environment environment) {
        management = environment.matchesProfiles("serve");
        rabbit = environment.matchesProfiles("worker")
                || environment.getProperty("rollout.distribution.enabled", Boolean.class, false);
        serverOrDistributed = management || rabbit;
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < matches.length; i++) {
            String name = autoConfigurationClasses[i];
            matches[i] = name == null || (management || !isManagement(name)) && (rabbit || !name.startsWith(RABBIT))
                    && (serverOrDistributed || !SERVER_AND_DISTRIBUTED.contains(name));
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
