package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.launch.JobParameterValues;

/**
 * The collect job's parameters, parsed and range-checked. Only the problem list's content
 * ({@code problemsSha256}) and {@code runDate} identify a run; everything else may change when a failed run is
 * restarted.
 *
 * @param timeoutSeconds per episode
 * @param seed           base seed; each (problem, sample) derives its own from it
 * @param budgetUsd      null: no budget
 */
record CollectParameters(String problems, LocalDate runDate, int samples, int concurrency, int maxSteps,
        int timeoutSeconds, String policy, String environment, String model, Double temperature, Double topP,
        Integer maxTokens, long seed, Protocol protocol, boolean logprobs, BigDecimal budgetUsd) {

    static final String DEFAULT_PROBLEMS = "jobs/smoke.csv";
    static final String SCRIPTED_MODEL = "scripted-baseline";
    static final String DEFAULT_LLM_MODEL = "gpt-4o-mini";

    /** The identifying parameter the launcher derives from the list's content (see {@link ProblemList#content}). */
    static final String PROBLEMS_SHA256 = "problemsSha256";

    static final String RUN_DATE = "runDate";

    static final Set<String> IDENTIFYING = Set.of("problems", "runDate", PROBLEMS_SHA256);

    static final List<String> NAMES = List.of("problems", PROBLEMS_SHA256, "runDate", "samples", "concurrency", "maxSteps", "timeout",
            "policy", "environment", "model", "temperature", "topP", "maxTokens", "seed", "protocol", "logprobs",
            "budgetUsd");

    /**
     * @param defaultPolicy the policy when none is given: {@code openai} where an endpoint is configured,
     *                      {@code scripted} otherwise
     * @throws IllegalArgumentException naming every bad parameter
     */
    static CollectParameters from(JobParameters parameters, String defaultPolicy) {
        Reader r = new Reader(parameters);
        for (JobParameter<?> parameter : parameters) {
            if (!NAMES.contains(parameter.name())) {
                r.errors.add("unknown parameter '" + parameter.name() + "' (known: " + String.join(", ", NAMES) + ")");
            }
        }
        String policy = r.text("policy", defaultPolicy);
        String defaultModel = "scripted".equals(policy) ? SCRIPTED_MODEL : DEFAULT_LLM_MODEL;
        CollectParameters result = new CollectParameters(r.text("problems", DEFAULT_PROBLEMS), r.runDate(),
                r.integer("samples", 1, 1, ProblemList.MAX_SAMPLES), r.integer("concurrency", 16, 1, 4096),
                r.integer("maxSteps", 20, 1, ProblemList.MAX_STEPS), r.integer("timeout", 1800, 1, 7 * 24 * 3600),
                policy, r.text("environment", "simulated"), r.text("model", defaultModel),
                r.decimal("temperature", 0, 2), r.decimal("topP", 0, 1), r.optionalInteger("maxTokens", 1, 10_000_000),
                r.longValue("seed", 0), r.protocol(), r.bool("logprobs"), r.money("budgetUsd"));
        if (!r.errors.isEmpty()) {
            throw new IllegalArgumentException("invalid job parameters:\n  " + String.join("\n  ", r.errors));
        }
        return result;
    }

    /**
     * The run's day: as given, or today in UTC. The preparer stores it typed before the job starts, so the
     * default is taken once per launch.
     *
     * @throws IllegalArgumentException naming the parameter when it is not a date
     */
    static LocalDate runDate(JobParameters parameters) {
        Object value = JobParameterValues.value(parameters, RUN_DATE);
        if (value == null) {
            return LocalDate.now(ZoneOffset.UTC);
        }
        try {
            return JobParameterValues.date(value);
        }
        catch (DateTimeParseException ex) {
            throw new IllegalArgumentException(RUN_DATE + ": '" + value + "' is not a date (YYYY-MM-DD)");
        }
    }

    AgentSettings agentSettings(Long episodeSeed) {
        return new AgentSettings(model, protocol, temperature, topP, maxTokens, episodeSeed, List.of(), logprobs);
    }

    /** Reads raw values (strings unless the command line gave a type) and collects every error. */
    private static final class Reader {

        private final JobParameters parameters;
        private final List<String> errors = new ArrayList<>();

        Reader(JobParameters parameters) {
            this.parameters = parameters;
        }

        private Object raw(String name) {
            return JobParameterValues.value(parameters, name);
        }

        String text(String name, String defaultValue) {
            Object value = raw(name);
            if (value == null) {
                return defaultValue;
            }
            String text = value.toString().trim();
            if (text.isEmpty()) {
                errors.add(name + ": must not be empty");
            }
            return text;
        }

        LocalDate runDate() {
            try {
                return CollectParameters.runDate(parameters);
            }
            catch (IllegalArgumentException ex) {
                errors.add(ex.getMessage());
                return null;
            }
        }

        int integer(String name, int defaultValue, int min, int max) {
            Integer value = optionalInteger(name, min, max);
            return value == null ? defaultValue : value;
        }

        Integer optionalInteger(String name, int min, int max) {
            Object value = raw(name);
            if (value == null) {
                return null;
            }
            try {
                long number = JobParameterValues.wholeNumber(value);
                if (number < min || number > max) {
                    errors.add(name + ": must be between " + min + " and " + max + " (was " + value + ")");
                    return null;
                }
                return (int) number;
            }
            catch (NumberFormatException ex) {
                errors.add(name + ": '" + value + "' is not a whole number");
                return null;
            }
        }

        long longValue(String name, long defaultValue) {
            Object value = raw(name);
            if (value == null) {
                return defaultValue;
            }
            try {
                return JobParameterValues.wholeNumber(value);
            }
            catch (NumberFormatException ex) {
                errors.add(name + ": '" + value + "' is not a whole number");
                return defaultValue;
            }
        }

        Double decimal(String name, double min, double max) {
            Object value = raw(name);
            if (value == null) {
                return null;
            }
            try {
                double number = JobParameterValues.number(value);
                if (!(number >= min && number <= max)) {
                    errors.add(name + ": must be between " + min + " and " + max + " (was " + value + ")");
                    return null;
                }
                return number;
            }
            catch (NumberFormatException ex) {
                errors.add(name + ": '" + value + "' is not a number");
                return null;
            }
        }

        BigDecimal money(String name) {
            Object value = raw(name);
            if (value == null) {
                return null;
            }
            try {
                BigDecimal amount = new BigDecimal(value.toString().trim());
                if (amount.signum() <= 0) {
                    errors.add(name + ": must be more than 0 (was " + value + ")");
                    return null;
                }
                return amount;
            }
            catch (NumberFormatException ex) {
                errors.add(name + ": '" + value + "' is not an amount in USD");
                return null;
            }
        }

        boolean bool(String name) {
            Object value = raw(name);
            if (value == null) {
                return false;
            }
            Boolean flag = JobParameterValues.bool(value);
            if (flag == null) {
                errors.add(name + ": '" + value + "' is not true or false");
                return false;
            }
            return flag;
        }

        Protocol protocol() {
            Object value = raw("protocol");
            if (value == null) {
                return Protocol.TEXT;
            }
            try {
                return Protocol.fromId(value.toString().trim());
            }
            catch (IllegalArgumentException ex) {
                errors.add("protocol: " + ex.getMessage());
                return Protocol.TEXT;
            }
        }
    }
}
