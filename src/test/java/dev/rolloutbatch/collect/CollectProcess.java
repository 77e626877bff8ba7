package dev.rolloutbatch.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.core.env.Environment;

/** The application started as a separate JVM on the test class path, against the test's database. */
final class CollectProcess {

    private CollectProcess() {
    }

    static Process start(Environment environment, Path log, String... jobParameters) throws IOException {
        return start(environment, log, Map.of(), jobParameters);
    }

    /**
     * @param variables the child's process environment on top of this one's, whose {@code OPENAI_*} variables are
     *                  left out (a developer's own key must not leak into a test run)
     */
    static Process start(Environment environment, Path log, Map<String, String> variables, String... jobParameters)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.rolloutbatch.RolloutBatchApplication", "--rollout.launcher.enabled=true",
                "--spring.profiles.active=pgtest", "--rollout.collect.progress-interval=1s",
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url")));
        command.addAll(List.of(jobParameters));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_"));
        builder.environment().putAll(variables);
        return builder.start();
    }

    /**
     * A worker of distributed runs ({@code worker} profile) in its own JVM, on the test database; it runs until it
     * is stopped.
     */
    static Process startWorker(Environment environment, Path log, Map<String, String> variables, String... options)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.rolloutbatch.RolloutBatchApplication", "--spring.profiles.active=pgtest,worker",
                "--rollout.collect.progress-interval=1s",
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url")));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_"));
        builder.environment().putAll(variables);
        return builder.start();
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }
}
