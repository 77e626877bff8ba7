package dev.rolloutbatch.export;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The export job's parameters, parsed and checked. Every parameter may be given typed (LocalDate, Long, Boolean)
 * or as a string, as a command line gives it.
 *
 * @param runId          only this run (null: every run of the dates, plus episodes submitted without a run)
 * @param onlySuccessful export only episodes with success=true
 * @param maxRowsPerFile rows per part file before the writer rolls to the next one
 */
record ExportParameters(LocalDate from, LocalDate to, Long runId, ExportFormat format, String output,
        boolean onlySuccessful, Compression compression, long maxRowsPerFile) {

    static final String RUN_DATE = "runDate";
    static final String FROM = "from";
    static final String TO = "to";
    static final String RUN_ID = "runId";
    static final String FORMAT = "format";
    static final String OUTPUT = "output";
    static final String ONLY_SUCCESSFUL = "onlySuccessful";
    static final String COMPRESSION = "compression";
    static final String MAX_ROWS_PER_FILE = "maxRowsPerFile";
    /** Accepted and ignored: a distinct value makes the same export a new job instance, so it can run again. */
    static final String INSTANCE_ID = "run.id";

    static final Set<String> NAMES = Set.of(RUN_DATE, FROM, TO, RUN_ID, FORMAT, OUTPUT, ONLY_SUCCESSFUL, COMPRESSION,
            MAX_ROWS_PER_FILE, INSTANCE_ID);

    static final String DEFAULT_OUTPUT = "datasets";
    static final long DEFAULT_MAX_ROWS_PER_FILE = 100_000;

    /** Parses and checks every parameter; all problems are reported at once. */
    static ExportParameters parse(JobParameters parameters) throws InvalidExportParametersException {
        List<String> errors = new ArrayList<>();
        for (JobParameter<?> parameter : parameters) {
            if (!NAMES.contains(parameter.name())) {
                errors.add("unknown parameter '" + parameter.name() + "' (expected one of " + String.join(", ",
                        List.of(RUN_DATE, FROM, TO, RUN_ID, FORMAT, OUTPUT, ONLY_SUCCESSFUL, COMPRESSION,
                                MAX_ROWS_PER_FILE)) + ")");
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
        ExportFormat format = ExportFormat.fromId(formatText).orElse(null);
        if (format == null) {
            errors.add("format '" + text(parameters, FORMAT, "") + "' is not one of trajectories, sft, verl");
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
        if (onlySuccessful == null) {
            onlySuccessful = format == ExportFormat.SFT;
        }

        String compressionText = text(parameters, COMPRESSION, Compression.ZSTD.id()).toLowerCase(Locale.ROOT);
        Compression compression = Compression.fromId(compressionText).orElse(null);
        if (compression == null) {
            errors.add("compression '" + text(parameters, COMPRESSION, "") + "' is not one of zstd, snappy, none");
        }

        Long maxRows = positiveLong(parameters, MAX_ROWS_PER_FILE, DEFAULT_MAX_ROWS_PER_FILE, errors);

        if (!errors.isEmpty()) {
            throw new InvalidExportParametersException("invalid export parameters: " + String.join("; ", errors));
        }
        return new ExportParameters(from, to, runId, format, output, onlySuccessful, compression, maxRows);
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
        if (value instanceof LocalDate date) {
            return date;
        }
        try {
            return LocalDate.parse(value.toString().strip());
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
        if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)) {
            number = n.longValue();
        }
        else {
            try {
                number = Long.parseLong(value.toString().strip());
            }
            catch (NumberFormatException ex) {
                errors.add("parameter '" + name + "' must be a positive integer, got '" + value + "'");
                return fallback;
            }
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
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().strip().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        errors.add("parameter '" + name + "' must be true or false, got '" + value + "'");
        return null;
    }
}
