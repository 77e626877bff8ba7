package dev.rolloutbatch.runs;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The {@code runs} command prints its report (or JSON) on standard output, where the console log goes too:
 * for it, only errors are logged there (Flyway warns about H2's version at every start), unless {@code logging.threshold.console} says otherwise.
 * Runs before the logging system is set up (registered in META-INF/spring.factories). TRACE is Spring Boot's
 * own default threshold.
 */
class QuietConsoleForRuns implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean runs = RunsCommand.NAME.equals(environment.getProperty("spring.batch.job.name"));
        // Set for every application, not only for runs: the threshold becomes a system property, which would
        // otherwise outlive this application in the JVM (tests start several).
        environment.getPropertySources().addLast(new MapPropertySource("runs-command-console",
                Map.of("logging.threshold.console", runs ? "ERROR" : "TRACE")));
    }
}
