package dev.rolloutbatch.export;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

import dev.rolloutbatch.launch.JobParameterValues;

/**
 * The export job's parameters, parsed and checked. Every parameter may be given typed (LocalDate, Long, Boolean)
 * or as a string, as a command line gives it.
 *
 * @param runId           only this run (null: every run of the dates, plus episodes submitted without a run)
 * @param formats         the formats written by this export ({@code format=all}: every one)
 * @param onlySuccessful  export only episodes with success=true; null = each format's default (true for sft)
 * @param maxRowsPerFile  rows per part file before the writer rolls to the next one
 * @param failureReward   the reward of an episode that ended without a graded result (failed, timeout)
 * @param splitBy         what the train/validation/test split hashes
 * @param validationRatio share of the split keys that go to validation
 * @param testRatio       share of the split keys that go to test (train gets the rest)
 */
record ExportParameters(LocalDate from, LocalDate to, Long runId, List<ExportFormat> formats, String output,
        Boolean onlySuccessful, Compression compression, long maxRowsPerFile, double failureReward,
        SplitBy splitBy, double validationRatio, double testRatio) {

    static final String RUN_DATE = "runDate";
    static final String FROM = "from";
    static final String TO = "to";
    static final String RUN_ID = "runId";
    static final String FORMAT = "format";
    static final String OUTPUT = "output";
    static final String ONLY_SUCCESSFUL = "onlySuccessful";
    static final String COMPRESSION = "compression";
    static final String MAX_ROWS_PER_FILE = "maxRowsPerFile";
    static final String FAILURE_REWARD = "failureReward";
    static final String SPLIT_BY = "splitBy";
    static final String VALIDATION_RATIO = "validationRatio";
    static final String TEST_RATIO = "testRatio";
    /** Accepted and ignored: a distinct value makes the same export a new job instance, so it can run again. */
    static final String INSTANCE_ID = "run.id";

    static final List<String> DOCUMENTED = List.of(RUN_DATE, FROM, TO, RUN_ID, FORMAT, OUTPUT, ONLY_SUCCESSFUL,
            COMPRESSION, MAX_ROWS_PER_FILE, FAILURE_REWARD, SPLIT_BY, VALIDATION_RATIO, TEST_RATIO);

    static final String ALL_FORMATS = "all";
    static final double DEFAULT_VALIDATION_RATIO = 0.1;
    static final double DEFAULT_TEST_RATIO = 0.1;

    static final String DEFAULT_OUTPUT = "datasets";
    static final long DEFAULT_MAX_ROWS_PER_FILE = 100_000;

    /** Parses and checks every parameter; all problems are reported at once. */
    static ExportParameters parse(JobParameters parameters) throws InvalidExportParametersException {
        List<String> errors = new ArrayList<>();
        for (JobParameter<?> parameter : parameters) {
            if (!DOCUMENTED.contains(parameter.name()) && !INSTANCE_ID.equals(parameter.name())) {
                errors.add("unknown parameter '" + parameter.name() + "' (expected one of "
                        + String.join(", ", DOCUMENTED) + ")");
            }
        }
        LocalDate runDate = date(parameters, RUN_DATE, errors);
        LocalDate from = date(parameters, FROM, errors);
        LocalDate to = date(parameters, TO, errors);
        boolean hasRunDate = parameters.getParameter(RUN_DATE) != null;
        boolean hasFrom = parameters.getParameter(FROM) != null;
        boolean hasTo = parameters.getParameter(TO) != null;
        if (hasRunDate && (hasFrom || hasTo)) {
            errors.add("give either runDate or from/to, not both");
        }
        else if (!hasRunDate && !hasFrom && !hasTo) {
            errors.add("missing parameter: runDate=YYYY-MM-DD (or from=YYYY-MM-DD and to=YYYY-MM-DD)");
        }
        else if (!hasRunDate && hasFrom != hasTo) {
            errors.add("from and to go together: give both (or runDate for a single day)");
        }
        else if (hasRunDate) {
            from = runDate;
            to = runDate;
        }
        if (from != null && to != null && from.isAfter(to)) {
            errors.add("from (" + from + ") is after to (" + to + ")");
        }

        Long runId = positiveLong(parameters, RUN_ID, null, errors);

        String formatText = text(parameters, FORMAT, ExportFormat.TRAJECTORIES.id()).toLowerCase(Locale.ROOT);
        List<ExportFormat> formats = formatText.equals(ALL_FORMATS) ? List.of(ExportFormat.values())
                : ExportFormat.fromId(formatText).map(List::of).orElse(null);
        if (formats == null) {
            errors.add("format '" + text(parameters, FORMAT, "") + "' is not one of trajectories, sft, verl, all");
        }

        String output = text(parameters, OUTPUT, DEFAULT_OUTPUT).strip();
        if (output.isEmpty()) {
            errors.add("output must not be blank (a local path or a Hadoop FileSystem URI; default datasets)");
        }
        else {
            try {
                new org.apache.hadoop.fs.Path(output);
            }
            catch (IllegalArgumentException ex) {
                errors.add("output '" + output + "' is not a valid path or URI: " + ex.getMessage());
            }
        }

        Boolean onlySuccessful = bool(parameters, ONLY_SUCCESSFUL, errors);

        String compressionText = text(parameters, COMPRESSION, Compression.ZSTD.id()).toLowerCase(Locale.ROOT);
        Compression compression = Compression.fromId(compressionText).orElse(null);
        if (compression == null) {
            errors.add("compression '" + text(parameters, COMPRESSION, "") + "' is not one of zstd, snappy, none");
        }

        Long maxRows = positiveLong(parameters, MAX_ROWS_PER_FILE, DEFAULT_MAX_ROWS_PER_FILE, errors);

        Double failureReward = number(parameters, FAILURE_REWARD, 0.0, errors);

        String splitText = text(parameters, SPLIT_BY, SplitBy.FAMILY.id()).toLowerCase(Locale.ROOT);
        SplitBy splitBy = SplitBy.fromId(splitText).orElse(null);
        if (splitBy == null) {
            errors.add("splitBy '" + text(parameters, SPLIT_BY, "") + "' is not one of problem, family");
        }
        Double validation = ratio(parameters, VALIDATION_RATIO, DEFAULT_VALIDATION_RATIO, errors);
        Double test = ratio(parameters, TEST_RATIO, DEFAULT_TEST_RATIO, errors);
        if (validation != null && test != null && validation + test > 1.0) {
            errors.add("validationRatio + testRatio must be at most 1, got " + (validation + test));
        }

        if (!errors.isEmpty()) {
            throw new InvalidExportParametersException("invalid export parameters: " + String.join("; ", errors));
        }
        return new ExportParameters(from, to, runId, formats, output, onlySuccessful, compression, maxRows,
                failureReward, splitBy, validation, test);
    }

    /** Whether this format keeps only successful episodes: the parameter when given, else true for sft only. */
    boolean onlySuccessful(ExportFormat format) {
        return onlySuccessful != null ? onlySuccessful : format == ExportFormat.SFT;
    }

    /** The graded reward of a completed episode; {@code failureReward} for one that ended without a grade. */
    double reward(EpisodeRow episode) {
        return episode.completed() && episode.reward() != null ? episode.reward() : failureReward;
    }

    private static Double number(JobParameters parameters, String name, Double fallback, List<String> errors) {
        JobParameter<?> parameter = parameters.getParameter(name);
        if (parameter == null) {
            return fallback;
        }
        Object value = parameter.value();
        try {
            double number = JobParameterValues.number(value);
            if (!Double.isFinite(number)) {
                throw new NumberFormatException();
            }
            return number;
        }
        catch (NumberFormatException ex) {
            errors.add("parameter '" + name + "' must be a number, got '" + value + "'");
            return null;
        }
    }

    private static Double ratio(JobParameters parameters, String name, double fallback, List<String> errors) {
        Double value = number(parameters, name, fallback, errors);
        if (value != null && (value < 0 || value > 1)) {
            errors.add("parameter '" + name + "' must be between 0 and 1, got " + value);
            return null;
        }
        return value;
    }

    private static String text(JobParameters parameters, String name, String fallback) {
        JobParameter<?> parameter = parameters.getParameter(name);
        return parameter == null || parameter.value() == null ? fallback : parameter.value().toString();
    }

    private static LocalDate date(JobParameters parameters, String name, List<String> errors) {
        JobParameter<?> parameter = parameters.getParameter(name);
        if (parameter == null) {
            return null;
        }
        Object value = parameter.value();
        try {
            return JobParameterValues.date(value);
        }
        catch (DateTimeParseException ex) {
            errors.add("parameter '" + name + "' must be a date YYYY-MM-DD, got '" + value + "'");
            return null;
        }
    }

    private static Long positiveLong(JobParameters parameters, String name, Long fallback, List<String> errors) {
        JobParameter<?> parameter = parameters.getParameter(name);
        if (parameter == null) {
            return fallback;
        }
        Object value = parameter.value();
        long number;
        try {
            number = JobParameterValues.wholeNumber(value);
        }
        catch (NumberFormatException ex) {
            errors.add("parameter '" + name + "' must be a positive integer, got '" + value + "'");
            return fallback;
        }
        if (number <= 0) {
            errors.add("parameter '" + name + "' must be a positive integer, got " + number);
        }
        return number;
    }

    private static Boolean bool(JobParameters parameters, String name, List<String> errors) {
        JobParameter<?> parameter = parameters.getParameter(name);
        if (parameter == null) {
            return null;
        }
        Object value = parameter.value();
        Boolean flag = JobParameterValues.bool(value);
        if (flag == null) {
            errors.add("parameter '" + name + "' must be true or false, got '" + value + "'");
        }
        return flag;
    }
}
