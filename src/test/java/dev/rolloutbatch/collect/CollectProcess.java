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
        List<String> command = application("--rollout.launcher.enabled=true", "--spring.profiles.active=pgtest",
                "--rollout.collect.progress-interval=1s",
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"));
        command.addAll(List.of(jobParameters));
        return start(new ProcessBuilder(command), log, variables);
    }

    /**
     * The application as a user runs it with no database settings: the embedded H2 default, under {@code workDir}
     * (its {@code ./data}), no profile.
     */
    static Process startOnDefaultDatabase(Path workDir, Path log, Map<String, String> variables,
            String... jobParameters) throws IOException {
        List<String> command = application("--rollout.launcher.enabled=true", "--rollout.collect.progress-interval=1s");
        command.addAll(List.of(jobParameters));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_"));
        return start(builder, log, variables);
    }

    /**
     * A worker of distributed runs ({@code worker} profile) in its own JVM, on the test database; it runs until it
     * is stopped.
     */
    static Process startWorker(Environment environment, Path log, Map<String, String> variables, String... options)
            throws IOException {
        List<String> command = application("--spring.profiles.active=pgtest,worker",
                "--rollout.collect.progress-interval=1s",
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"));
        command.addAll(List.of(options));
        return start(new ProcessBuilder(command), log, variables);
    }

    /** The application's JVM on the test class path, with these first arguments. */
    private static List<String> application(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.rolloutbatch.RolloutBatchApplication"));
        command.addAll(List.of(arguments));
        return command;
    }

    /** Output appended to the log; this process's {@code OPENAI_*} variables left out, the given ones added. */
    private static Process start(ProcessBuilder builder, Path log, Map<String, String> variables) throws IOException {
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
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
