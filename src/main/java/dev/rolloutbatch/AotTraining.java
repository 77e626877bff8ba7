package dev.rolloutbatch;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;

/**
 * The training run of the launcher's AOT cache ({@code ./rollout-batch}, JDK 25+): runs the application once per
 * group of arguments, the groups separated by {@value #THEN}, one after the other in this one JVM, so that the
 * cache recorded when it exits holds the classes of every run (a collect run, then the export of what it
 * collected). Stops at the first run that does not exit 0, with its code. Not meant for users.
 */
public final class AotTraining {

    static final String THEN = "--aot-training-then";

    private AotTraining() {
    }

    public static void main(String[] args) {
        for (List<String> run : runs(args)) {
            int code = SpringApplication.exit(SpringApplication.run(RolloutBatchApplication.class,
                    run.toArray(String[]::new)));
            if (code != 0) {
                System.exit(code);
            }
        }
    }

    static List<List<String>> runs(String[] args) {
        List<List<String>> runs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String arg : args) {
            if (THEN.equals(arg)) {
                runs.add(current);
                current = new ArrayList<>();
            }
            else {
                current.add(arg);
            }
        }
        runs.add(current);
        return runs;
    }
}
