package dev.rolloutbatch.runs;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ApplicationArguments;

/**
 * The {@code runs} command's options: {@code --run=ID} for one run's report, {@code --json} for JSON,
 * {@code --limit=N} for how many recent runs (20).
 */
record RunsOptions(Long run, boolean json, int limit) {

    static final int DEFAULT_LIMIT = 20;

    static RunsOptions parse(ApplicationArguments arguments) {
        if (!arguments.getNonOptionArgs().isEmpty()) {
            throw new IllegalArgumentException("runs takes no job parameters (" + String.join(" ",
                    arguments.getNonOptionArgs()) + "): use --run=ID, --json, --limit=N");
        }
        Long run = null;
        String runValue = single(arguments, "run");
        if (runValue != null) {
            run = positive("--run", runValue);
        }
        int limit = DEFAULT_LIMIT;
        String limitValue = single(arguments, "limit");
        if (limitValue != null) {
            limit = (int) Math.min(positive("--limit", limitValue), 10_000);
        }
        String json = single(arguments, "json");
        return new RunsOptions(run, arguments.containsOption("json") && (json == null || json.isEmpty()
                || Boolean.parseBoolean(json)), limit);
    }

    private static @Nullable String single(ApplicationArguments arguments, String name) {
        List<String> values = arguments.getOptionValues(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        return values.get(values.size() - 1);
    }

    private static long positive(String option, String value) {
        try {
            long number = Long.parseLong(value.strip());
            if (number > 0) {
                return number;
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a positive number (was '" + value + "')");
    }
}
