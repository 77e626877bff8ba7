package dev.rolloutbatch.catalog;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * AIOpsLab's problem registry (89 problems) and its applications, loaded from the project's own copy under
 * {@code classpath:catalog/}.
 */
@Component
public class ProblemCatalog {

    private final Map<String, Problem> problems;
    private final Map<String, Application> applications;

    public ProblemCatalog() {
        this.problems = load("catalog/aiopslab-problems.csv", ProblemCatalog::problem, Problem::id);
        this.applications = load("catalog/applications.csv", ProblemCatalog::application, Application::name);
    }

    public Optional<Problem> find(String problemId) {
        return Optional.ofNullable(problems.get(problemId));
    }

    public Problem get(String problemId) {
        return find(problemId).orElseThrow(() -> new IllegalArgumentException("unknown problem id '" + problemId + "'"));
    }

    public Collection<Problem> problems() {
        return problems.values();
    }

    public Application application(String name) {
        Application application = applications.get(name);
        if (application == null) {
            throw new IllegalArgumentException("unknown application '" + name + "'");
        }
        return application;
    }

    public Collection<Application> applications() {
        return applications.values();
    }

    private static Problem problem(CSVRecord row) {
        return new Problem(row.get("problem_id"), TaskType.fromId(row.get("task_type")), row.get("fault_family"),
                row.get("application"), row.get("namespace"), row.get("faulty_service"), row.get("system_level"),
                row.get("fault_type"), row.get("deployment"), row.get("expected_detection"));
    }

    private static Application application(CSVRecord row) {
        return new Application(row.get("application"), row.get("namespace"), row.get("pod_label_key"),
                row.get("description"), Arrays.asList(row.get("services").split(";")));
    }

    private static <T> Map<String, T> load(String resource, Function<CSVRecord, T> mapper, Function<T, String> key) {
        try (Reader reader = new InputStreamReader(new ClassPathResource(resource).getInputStream(),
                StandardCharsets.UTF_8)) {
            Map<String, T> byKey = new LinkedHashMap<>();
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                T value = mapper.apply(row);
                byKey.put(key.apply(value), value);
            }
            return Collections.unmodifiableMap(byKey);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + resource, ex);
        }
    }
}
