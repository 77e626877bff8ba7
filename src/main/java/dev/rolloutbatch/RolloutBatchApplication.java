package dev.rolloutbatch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

import dev.rolloutbatch.launch.HelpAndVersion;
import dev.rolloutbatch.launch.SetupFailures;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RolloutBatchApplication {

    public static void main(String[] args) {
        if (HelpAndVersion.printIfAsked(args, System.out)) {
            return;
        }
        ConfigurableApplicationContext context;
        try {
            context = SpringApplication.run(RolloutBatchApplication.class, args);
        }
        catch (RuntimeException ex) {
            // Already reported (one line for a setup failure, see SetupFailureReporter); the code tells its kind.
            System.exit(SetupFailures.exitCode(ex));
            return;
        }
        if (!context.getEnvironment().matchesProfiles("serve | worker")) {
            // A batch run ends with its job: the exit code tells a scheduler how it went. A server or a worker
            // runs until it is stopped.
            System.exit(SpringApplication.exit(context));
        }
    }
}
