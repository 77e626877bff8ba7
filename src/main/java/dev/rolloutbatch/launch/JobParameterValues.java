package dev.rolloutbatch.launch;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * Reads one job parameter's value as a type. A value arrives either typed (a typed command-line argument, a
 * test, a restart) or as the text of a {@code key=value} argument; both read the same here. Each job words its
 * own errors (their wording is part of its user interface), so these only say whether the value reads.
 */
public final class JobParameterValues {

    private JobParameterValues() {
    }

    /** The value as given, or null when the parameter is absent. */
    public static Object value(JobParameters parameters, String name) {
        JobParameter<?> parameter = parameters.getParameter(name);
        return parameter == null ? null : parameter.value();
    }

    /** @throws DateTimeParseException when the text is not an ISO date (YYYY-MM-DD) */
    public static LocalDate date(Object value) {
        return value instanceof LocalDate date ? date : LocalDate.parse(value.toString().strip());
    }

    /** A fractional number given typed is not read as a whole one (it is parsed as its text and refused). */
    public static long wholeNumber(Object value) {
        if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)) {
            return n.longValue();
        }
        return Long.parseLong(value.toString().strip());
    }

    /** May be NaN or infinite; range checks are the caller's. */
    public static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().strip());
    }

    /** {@code true} or {@code false} in any case; null for anything else. */
    public static Boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().strip().toLowerCase(Locale.ROOT);
        return text.equals("true") || text.equals("false") ? Boolean.valueOf(text) : null;
    }
}
