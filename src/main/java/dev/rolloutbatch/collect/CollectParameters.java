package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.Protocol;
import dev.rolloutbatch.launch.JobParameterReader;

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
        int timeoutSeconds, String policy, String environment, String model, @Nullable Double temperature,
        @Nullable Double topP, @Nullable Integer maxTokens, long seed, Protocol protocol, boolean logprobs,
        @Nullable BigDecimal budgetUsd) {

    static final String DEFAULT_PROBLEMS = "jobs/smoke.csv";
    static final int DEFAULT_SAMPLES = 1;
    static final int DEFAULT_MAX_STEPS = 20;
    static final long DEFAULT_SEED = 0;
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
     * @throws InvalidJobParametersException naming every bad parameter
     */
    static CollectParameters from(JobParameters parameters, String defaultPolicy)
            throws InvalidJobParametersException {
        JobParameterReader r = new JobParameterReader(parameters);
        r.refuseUnknown(NAMES, Set.of());
        String policy = r.text("policy", defaultPolicy);
        String defaultModel = "scripted".equals(policy) ? SCRIPTED_MODEL : DEFAULT_LLM_MODEL;
        LocalDate runDate = r.has(RUN_DATE) ? r.date(RUN_DATE) : LocalDate.now(ZoneOffset.UTC);
        CollectParameters result = new CollectParameters(r.text("problems", DEFAULT_PROBLEMS), runDate,
                r.integer("samples", DEFAULT_SAMPLES, 1, ProblemList.MAX_SAMPLES), r.integer("concurrency", 16, 1, 4096),
                r.integer("maxSteps", DEFAULT_MAX_STEPS, 1, ProblemList.MAX_STEPS), r.integer("timeout", 1800, 1, 7 * 24 * 3600),
                policy, r.text("environment", "simulated"), r.text("model", defaultModel),
                r.decimal("temperature", 0, 2), r.decimal("topP", 0, 1), r.optionalInteger("maxTokens", 1, 10_000_000),
                r.longValue("seed", DEFAULT_SEED), r.choice("protocol", Protocol.TEXT, CollectParameters::protocol, "text, tools"),
                Boolean.TRUE.equals(r.bool("logprobs")), r.money("budgetUsd"));
        r.check();
        return result;
    }

    /**
     * The run's day: as given, or today in UTC. The preparer stores it typed before the job starts, so the
     * default is taken once per launch.
     *
     * @throws IllegalArgumentException naming the parameter when it is not a date
     */
    static LocalDate runDate(JobParameters parameters) {
        JobParameterReader r = new JobParameterReader(parameters);
        LocalDate runDate = r.date(RUN_DATE);
        if (!r.errors().isEmpty()) {
            throw new IllegalArgumentException(r.errors().getFirst());
        }
        return runDate != null ? runDate : LocalDate.now(ZoneOffset.UTC);
    }

    private static Optional<Protocol> protocol(String id) {
        return Arrays.stream(Protocol.values()).filter(p -> p.id().equalsIgnoreCase(id)).findFirst();
    }

    AgentSettings agentSettings(Long episodeSeed) {
        return new AgentSettings(model, protocol, temperature, topP, maxTokens, episodeSeed, List.of(), logprobs);
    }
}
