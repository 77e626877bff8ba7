package dev.rolloutbatch.runs;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ApplicationArguments;
import org.springframework.stereotype.Component;

import dev.rolloutbatch.launch.LauncherCommand;

/**
 * {@code --spring.batch.job.name=runs} ({@code ./rollout-batch runs}): the recent runs, or one run's report with
 * {@code --run=ID}, as text or with {@code --json} as JSON, on standard output. It only reads.
 */
@Component
class RunsCommand implements LauncherCommand {

    static final String NAME = "runs";

    private static final int COMPLETED = 0;
    private static final int INVALID_INPUT = 2;

    private static final JsonMapper JSON = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build();

    private final RunQueries queries;

    RunsCommand(RunQueries queries) {
        this.queries = queries;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int run(ApplicationArguments arguments) {
        // The stream of the moment (not of construction): a caller may have redirected it since.
        PrintStream err = System.err;
        RunsOptions options;
        try {
            options = RunsOptions.parse(arguments);
        }
        catch (IllegalArgumentException ex) {
            err.println(ex.getMessage());
            return INVALID_INPUT;
        }
        if (options.run() == null) {
            var runs = queries.recent(options.limit());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("runs", runs);
            print(options.json() ? JSON.writeValueAsString(json) + "\n" : RunsText.list(runs));
            return COMPLETED;
        }
        Optional<RunDetail> detail = queries.find(options.run());
        if (detail.isEmpty()) {
            err.println("There is no run " + options.run() + " (./rollout-batch runs lists them)");
            return INVALID_INPUT;
        }
        print(options.json() ? JSON.writeValueAsString(detail.get()) + "\n" : RunsText.detail(detail.get()));
        return COMPLETED;
    }

    private static void print(String text) {
        PrintStream out = System.out;
        out.print(text);
        out.flush();
    }
}
