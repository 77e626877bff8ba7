package dev.rolloutbatch.launch;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The one parser of job parameters, used by every job to build its typed parameter record: reads each value as
 * its type ({@link JobParameterValues}), checks ranges, and collects every problem so that one refusal names them
 * all. Every problem reads {@code <parameter>: <what is wrong>} (a value as given in quotes), and {@link #check()}
 * joins them on one line.
 */
public final class JobParameterReader {

    private final JobParameters parameters;
    private final List<String> errors = new ArrayList<>();

    public JobParameterReader(JobParameters parameters) {
        this.parameters = parameters;
    }

    public boolean has(String name) {
        return JobParameterValues.value(parameters, name) != null;
    }

    /** Refuses every parameter not named in {@code known} (listed in the message) nor in {@code alsoAccepted}. */
    public void refuseUnknown(List<String> known, Collection<String> alsoAccepted) {
        for (JobParameter<?> parameter : parameters) {
            if (!known.contains(parameter.name()) && !alsoAccepted.contains(parameter.name())) {
                errors.add("unknown parameter '" + parameter.name() + "' (known: " + String.join(", ", known) + ")");
            }
        }
    }

    /** The stripped text, or the default when absent; an empty one is refused. */
    public String text(String name, String defaultValue) {
        Object value = JobParameterValues.value(parameters, name);
        if (value == null) {
            return defaultValue;
        }
        String text = value.toString().strip();
        if (text.isEmpty()) {
            error(name, "must not be empty");
        }
        return text;
    }

    /**
     * One of a fixed set of choices, read by {@code parse} from the stripped text.
     *
     * @param choices the accepted texts, for the message
     */
    public <T> @Nullable T choice(String name, T defaultValue, Function<String, Optional<T>> parse, String choices) {
        Object value = JobParameterValues.value(parameters, name);
        if (value == null) {
            return defaultValue;
        }
        Optional<T> choice = parse.apply(value.toString().strip());
        if (choice.isEmpty()) {
            error(name, "'" + value + "' is not one of " + choices);
        }
        return choice.orElse(null);
    }

    public @Nullable LocalDate date(String name) {
        Object value = JobParameterValues.value(parameters, name);
        if (value == null) {
            return null;
        }
        try {
            return JobParameterValues.date(value);
        }
        catch (DateTimeParseException ex) {
            error(name, "'" + value + "' is not a date (YYYY-MM-DD)");
            return null;
        }
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Integer value = optionalInteger(name, min, max);
        return value == null ? defaultValue : value;
    }

    public @Nullable Integer optionalInteger(String name, int min, int max) {
        Long value = wholeNumber(name, min, max);
        return value == null ? null : value.intValue();
    }

    public long longValue(String name, long defaultValue) {
        Long value = wholeNumber(name, Long.MIN_VALUE, Long.MAX_VALUE);
        return value == null ? defaultValue : value;
    }

    /** A whole number of at least 1, or null when absent or refused. */
    public @Nullable Long positiveLong(String name) {
        return wholeNumber(name, 1, Long.MAX_VALUE);
    }

    private @Nullable Long wholeNumber(String name, long min, long max) {
        Object value = JobParameterValues.value(parameters, name);
        if (value == null) {
            return null;
        }
        long number;
        try {
            number = JobParameterValues.wholeNumber(value);
        }
        catch (NumberFormatException ex) {
            error(name, "'" + value + "' is not a whole number");
            return null;
        }
        if (number < min || number > max) {
            error(name, (max == Long.MAX_VALUE ? "must be at least " + min : "must be between " + min + " and " + max)
                    + " (was " + value + ")");
            return null;
        }
        return number;
    }

    /** A number within [min, max], or null when absent or refused. */
    public @Nullable Double decimal(String name, double min, double max) {
        Double number = finiteNumber(name);
        if (number != null && !(number >= min && number <= max)) {
            error(name, "must be between " + min + " and " + max + " (was "
                    + JobParameterValues.value(parameters, name) + ")");
            return null;
        }
        return number;
    }

    /** Any finite number, or null when absent or refused. */
    public @Nullable Double finiteNumber(String name) {
        Object value = JobParameterValues.value(parameters, name);
        if (value == null) {
            return null;
        }
        try {
            double number = JobParameterValues.number(value);
            if (Double.isFinite(number)) {
                return number;
            }
        }
        catch (NumberFormatException ex) {
            // refused below
        }
        error(name, "'" + value + "' is not a number");
        return null;
    }

    /** An amount of more than 0, or null when absent or refused. */
    public @Nullable BigDecimal money(String name) {
        Object value = JobParameterValues.value(parameters, name);
        if (value == null) {
            return null;
        }
        try {
            BigDecimal amount = new BigDecimal(value.toString().strip());
            if (amount.signum() <= 0) {
                error(name, "must be more than 0 (was " + value + ")");
                return null;
            }
            return amount;
        }
        catch (NumberFormatException ex) {
            error(name, "'" + value + "' is not an amount in USD");
            return null;
        }
    }

    /** {@code true} or {@code false}, or null when absent or refused. */
    public @Nullable Boolean bool(String name) {
        Object value = JobParameterValues.value(parameters, name);
        if (value == null) {
            return null;
        }
        Boolean flag = JobParameterValues.bool(value);
        if (flag == null) {
            error(name, "'" + value + "' is not true or false");
        }
        return flag;
    }

    /** Records a problem with one parameter (or a combination, named as such). */
    public void error(String name, String problem) {
        errors.add(name + ": " + problem);
    }

    /** The problems found so far, in the order found. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** @throws InvalidJobParametersException naming every problem found, on one line */
    public void check() throws InvalidJobParametersException {
        if (!errors.isEmpty()) {
            throw new InvalidJobParametersException(String.join("; ", errors));
        }
    }
}
