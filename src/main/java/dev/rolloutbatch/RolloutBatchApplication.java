package dev.rolloutbatch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

import dev.rolloutbatch.launch.HelpAndVersion;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RolloutBatchApplication {

    public static void main(String[] args) {
        if (HelpAndVersion.printIfAsked(args, System.out)) {
            return;
        }
        ConfigurableApplicationContext context = SpringApplication.run(RolloutBatchApplication.class, args);
        if (!context.getEnvironment().matchesProfiles("serve")) {
            // A batch run ends with its job: the exit code tells a scheduler how it went.
            System.exit(SpringApplication.exit(context));
        }
    }
}
