package dev.rolloutbatch.export;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;

import dev.rolloutbatch.launch.JobParameterReader;

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
record ExportParameters(LocalDate from, LocalDate to, @Nullable Long runId, List<ExportFormat> formats,
        String output, @Nullable Boolean onlySuccessful, Compression compression, long maxRowsPerFile, double failureReward,
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

    /**
     * Parses and checks every parameter; all problems are reported at once.
     *
     * @throws InvalidJobParametersException naming every bad parameter
     */
    static ExportParameters parse(JobParameters parameters) throws InvalidJobParametersException {
        JobParameterReader r = new JobParameterReader(parameters);
        r.refuseUnknown(DOCUMENTED, Set.of(INSTANCE_ID));
        LocalDate runDate = r.date(RUN_DATE);
        LocalDate from = r.date(FROM);
        LocalDate to = r.date(TO);
        boolean hasRunDate = r.has(RUN_DATE);
        boolean hasFrom = r.has(FROM);
        boolean hasTo = r.has(TO);
        if (hasRunDate && (hasFrom || hasTo)) {
            r.error(RUN_DATE, "give either runDate or from/to, not both");
        }
        else if (!hasRunDate && !hasFrom && !hasTo) {
            r.error(RUN_DATE, "missing (give runDate=YYYY-MM-DD, or from=YYYY-MM-DD and to=YYYY-MM-DD)");
        }
        else if (!hasRunDate && hasFrom != hasTo) {
            r.error(hasFrom ? TO : FROM, "missing: from and to go together (or give runDate for a single day)");
        }
        else if (hasRunDate) {
            from = runDate;
            to = runDate;
        }
        if (from != null && to != null && from.isAfter(to)) {
            r.error(FROM, from + " is after to (" + to + ")");
        }

        Long runId = r.positiveLong(RUN_ID);
        List<ExportFormat> formats = r.choice(FORMAT, List.of(ExportFormat.TRAJECTORIES), ExportParameters::formats,
                "trajectories, sft, verl, all");
        String output = output(r);
        Boolean onlySuccessful = r.bool(ONLY_SUCCESSFUL);
        Compression compression = r.choice(COMPRESSION, Compression.ZSTD,
                id -> Compression.fromId(id.toLowerCase(Locale.ROOT)), "zstd, snappy, none");
        Long maxRows = r.positiveLong(MAX_ROWS_PER_FILE);
        Double failureReward = r.finiteNumber(FAILURE_REWARD);
        SplitBy splitBy = r.choice(SPLIT_BY, SplitBy.FAMILY, id -> SplitBy.fromId(id.toLowerCase(Locale.ROOT)),
                "problem, family");
        Double validation = r.decimal(VALIDATION_RATIO, 0, 1);
        Double test = r.decimal(TEST_RATIO, 0, 1);
        double validationRatio = validation != null ? validation : DEFAULT_VALIDATION_RATIO;
        double testRatio = test != null ? test : DEFAULT_TEST_RATIO;
        if (validationRatio + testRatio > 1.0) {
            r.error(VALIDATION_RATIO + " + " + TEST_RATIO, "must be at most 1 (was " + validationRatio + " + "
                    + testRatio + ")");
        }
        r.check();
        return new ExportParameters(from, to, runId, formats, output, onlySuccessful, compression,
                maxRows != null ? maxRows : DEFAULT_MAX_ROWS_PER_FILE, failureReward != null ? failureReward : 0.0,
                splitBy, validationRatio, testRatio);
    }

    private static Optional<List<ExportFormat>> formats(String id) {
        String lower = id.toLowerCase(Locale.ROOT);
        return lower.equals(ALL_FORMATS) ? Optional.of(List.of(ExportFormat.values()))
                : ExportFormat.fromId(lower).map(List::of);
    }

    /** A local path or a Hadoop FileSystem URI. */
    private static String output(JobParameterReader r) {
        String output = r.text(OUTPUT, DEFAULT_OUTPUT);
        if (!output.isEmpty()) {
            try {
                new org.apache.hadoop.fs.Path(output);
            }
            catch (IllegalArgumentException ex) {
                r.error(OUTPUT, "'" + output + "' is not a valid path or URI: " + ex.getMessage());
            }
        }
        return output;
    }

    /** Whether this format keeps only successful episodes: the parameter when given, else true for sft only. */
    boolean onlySuccessful(ExportFormat format) {
        return onlySuccessful != null ? onlySuccessful : format == ExportFormat.SFT;
    }

    /** The graded reward of a completed episode; {@code failureReward} for one that ended without a grade. */
    double reward(EpisodeRow episode) {
        return episode.completed() && episode.reward() != null ? episode.reward() : failureReward;
    }
}
