package dev.rolloutbatch.benchmark;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import dev.rolloutbatch.RolloutBatchApplication;

/** The application as the benchmark starts it in its own JVM: the real one, plus the {@code bench} environment. */
final class BenchmarkApplication {

    private BenchmarkApplication() {
    }

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication
            .run(new Class<?>[] { RolloutBatchApplication.class, BenchEnvironment.class }, args);
        System.exit(SpringApplication.exit(context));
    }
}
