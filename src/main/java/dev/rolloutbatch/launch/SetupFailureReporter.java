package dev.rolloutbatch.launch;

import org.springframework.boot.SpringBootExceptionReporter;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Reports a recognised setup failure (see {@link SetupFailures}) as one line on stderr instead of Spring Boot's
 * stack trace or failure analysis. With {@code --debug} or {@code rollout.stack-traces=true} the line is printed
 * and Boot's full report follows. Registered in {@code META-INF/spring.factories}, ahead of Boot's own reporters.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class SetupFailureReporter implements SpringBootExceptionReporter {

    private final Environment environment;

    SetupFailureReporter(ConfigurableApplicationContext context) {
        this.environment = context == null ? null : context.getEnvironment();
    }

    @Override
    public boolean reportException(Throwable failure) {
        SetupFailures.SetupFailure setup = SetupFailures.classify(failure, environment);
        if (setup == null) {
            return false;
        }
        System.err.println(setup.line());
        return !stackTracesWanted();
    }

    private boolean stackTracesWanted() {
        if (environment == null) {
            return Boolean.getBoolean("debug") || Boolean.getBoolean("rollout.stack-traces");
        }
        return isSet(environment.getProperty("debug")) || isSet(environment.getProperty("rollout.stack-traces"));
    }

    /** {@code --debug} alone sets the property to an empty string. */
    private static boolean isSet(String value) {
        return value != null && (value.isEmpty() || Boolean.parseBoolean(value));
    }
}
