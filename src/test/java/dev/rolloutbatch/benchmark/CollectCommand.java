package dev.rolloutbatch.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * How the benchmark starts the collect JVM. The way a user does, through {@code ./rollout-batch} (the extracted jar
 * and, on JDK 25, the AOT cache it prepares in {@code target/rollout-batch/}, with the launcher's JVM defaults),
 * when that fast start is prepared and made from the current sources, so that "efficiency from start" is what users
 * get; else, and always for the test-only {@code bench} environment, from the test class path (as before), with a
 * printed line saying why. The benchmark never builds the jar nor prepares the fast start itself: that would count
 * a build into the run.
 *
 * @param command     the process's command line
 * @param javaOptions JAVA_OPTS for the launcher (empty: its defaults), or null on the class path
 * @param how         one line for the report: how the JVM was started
 */
record CollectCommand(List<String> command, @Nullable String javaOptions, String how) {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path JAR = ROOT.resolve("target/rollout-batch.jar");
    private static final Path FAST_DIR = ROOT.resolve("target/rollout-batch");
    private static final Path FAST_JAR = FAST_DIR.resolve("rollout-batch.jar");
    private static final Path AOT_CACHE = FAST_DIR.resolve("rollout-batch.aot");
    private static final Path LAUNCHER = ROOT.resolve("rollout-batch");
    /** The collect JVM's heap on the class path when {@code bench.heap} is not given (the launcher has its own). */
    private static final String CLASS_PATH_HEAP = "1g";

    /**
     * @param heap        {@code bench.heap}: -Xmx of the collect JVM, or empty for the launcher's default
     * @param jvmArgs     {@code bench.jvmArgs}: more JVM options (JFR, NMT, another GC), or empty
     * @param environment the collect job's environment
     * @param arguments   the application's arguments (job parameters and {@code --} properties)
     */
    static CollectCommand of(String heap, String jvmArgs, String environment, List<String> arguments) {
        String why = whyNotLauncher(environment);
        List<String> options = new ArrayList<>();
        if (!heap.isBlank() || why != null) {
            options.add("-Xmx" + (heap.isBlank() ? CLASS_PATH_HEAP : heap));
        }
        if (!jvmArgs.isBlank()) {
            options.addAll(List.of(jvmArgs.trim().split("\\s+")));
        }
        if (why == null) {
            List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
            command.addAll(arguments);
            boolean aot = Files.isRegularFile(AOT_CACHE) && Runtime.version().feature() >= 25;
            return new CollectCommand(command, String.join(" ", options), "./rollout-batch (extracted jar"
                    + (aot ? ", AOT cache" : ", no AOT cache") + ")" + (options.isEmpty() ? ", its default JVM options"
                            : ", JAVA_OPTS=" + String.join(" ", options)));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchmarkApplication.class.getName()));
        command.addAll(arguments);
        return new CollectCommand(command, null, "the test class path (" + String.join(" ", options) + "), not "
                + "./rollout-batch: " + why);
    }

    /** Why the collect JVM cannot start as a user's does, or null when it can. */
    static @Nullable String whyNotLauncher(String environment) {
        if (environment.equals("bench")) {
            return "the bench environment is a test class";
        }
        if (!Files.isRegularFile(JAR) || newerThan(JAR, ROOT.resolve("pom.xml"), ROOT.resolve("src/main"))) {
            return "target/rollout-batch.jar is missing or older than the sources (./rollout-batch --version builds "
                    + "it and prepares the fast start)";
        }
        if (!Files.isRegularFile(FAST_JAR) || lastModified(JAR).compareTo(lastModified(FAST_JAR)) > 0
                || !System.getProperty("java.home").equals(readJdk())) {
            return "the fast start in target/rollout-batch/ is missing, older than the jar or made for another JDK "
                    + "(./rollout-batch --version prepares it)";
        }
        return null;
    }

    /** Whether a file under these paths was changed after {@code file}, as the launcher decides to rebuild. */
    private static boolean newerThan(Path file, Path... paths) {
        FileTime built = lastModified(file);
        for (Path path : paths) {
            try (Stream<Path> files = Files.walk(path)) {
                if (files.anyMatch(p -> lastModified(p).compareTo(built) > 0)) {
                    return true;
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return false;
    }

    private static FileTime lastModified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The JDK the fast start was made for (the launcher writes its JAVA_HOME there). */
    private static @Nullable String readJdk() {
        try {
            return Files.readString(FAST_DIR.resolve("jdk")).strip();
        }
        catch (IOException ex) {
            return null;
        }
    }
}
