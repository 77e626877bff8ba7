package dev.rolloutbatch.dashboard;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import dev.rolloutbatch.dashboard.DashboardRepository.RunFilter;
import dev.rolloutbatch.dashboard.DashboardViews.Bin;
import dev.rolloutbatch.dashboard.DashboardViews.Comparison;
import dev.rolloutbatch.dashboard.DashboardViews.EpisodeDetail;
import dev.rolloutbatch.dashboard.DashboardViews.EpisodeRow;
import dev.rolloutbatch.dashboard.DashboardViews.Page;
import dev.rolloutbatch.dashboard.DashboardViews.RunDetail;
import dev.rolloutbatch.dashboard.DashboardViews.RunRow;
import dev.rolloutbatch.episode.Outcome;

/** The dashboard's figures as JSON, read-only; the bearer token of the API protects them. */
@RestController
@Profile("serve")
class DashboardController {

    /** Run statuses are words like running, completed, budget_exhausted. */
    private static final Pattern RUN_STATUS = Pattern.compile("[a-z_]{1,20}");
    private static final int DEFAULT_SIZE = 50;
    private static final int MAX_SIZE = 500;

    private final DashboardRepository repository;

    DashboardController(DashboardRepository repository) {
        this.repository = repository;
    }

    /** The pages live under /dashboard/ as static files; /dashboard alone opens the runs list. */
    @GetMapping({ "/dashboard", "/dashboard/" })
    ResponseEntity<Void> pages() {
        return ResponseEntity.status(HttpStatus.FOUND).header("Location", "/dashboard/index.html").build();
    }

    @GetMapping("/api/dashboard/runs")
    Page<RunRow> runs(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String model, @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        if (status != null && !status.isBlank() && !RUN_STATUS.matcher(status.strip()).matches()) {
            throw new DashboardException(HttpStatus.BAD_REQUEST, "status must be a run status like completed");
        }
        int n = size(size);
        return repository.runs(new RunFilter(date("from", from), date("to", to), blankToNull(model),
                blankToNull(status)), n, offset(page, n));
    }

    @GetMapping("/api/dashboard/models")
    List<String> models() {
        return repository.models();
    }

    @GetMapping("/api/dashboard/runs/{id}")
    RunDetail run(@PathVariable long id) {
        RunRow run = repository.run(id).orElseThrow(() -> notFound("run " + id));
        return new RunDetail(run, repository.byTaskType(id), repository.rewardHistogram(id),
                repository.failureClasses(id), repository.recordsFailureClasses(), repository.byModel(id),
                repository.latency(id), repository.slowest(id), repository.mostExpensive(id));
    }

    @GetMapping("/api/dashboard/runs/{id}/problems")
    Page<Outcome> problems(@PathVariable long id, @RequestParam(name = "task_type", required = false)
            String taskType, @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        requireRun(id);
        int n = size(size);
        return repository.byProblem(id, blankToNull(taskType), n, offset(page, n));
    }

    @GetMapping("/api/dashboard/runs/{id}/rewards")
    List<Bin> rewards(@PathVariable long id, @RequestParam(name = "task_type", required = false) String taskType,
            @RequestParam(name = "problem_id", required = false) String problemId) {
        requireRun(id);
        return repository.rewardHistogram(id, blankToNull(taskType), blankToNull(problemId));
    }

    @GetMapping("/api/dashboard/runs/{id}/episodes")
    Page<EpisodeRow> episodes(@PathVariable long id, @RequestParam(name = "problem_id", required = false)
            String problemId, @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        requireRun(id);
        int n = size(size);
        return repository.episodes(id, blankToNull(problemId), n, offset(page, n));
    }

    @GetMapping("/api/dashboard/compare")
    Comparison compare(@RequestParam long a, @RequestParam long b, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        RunRow left = repository.run(a).orElseThrow(() -> notFound("run " + a));
        RunRow right = repository.run(b).orElseThrow(() -> notFound("run " + b));
        int n = size(size);
        return new Comparison(left, right, repository.compare(a, b, n, offset(page, n)));
    }

    @GetMapping("/api/dashboard/episodes/{id}")
    EpisodeDetail episode(@PathVariable long id) {
        return repository.episode(id).orElseThrow(() -> notFound("episode " + id));
    }

    private static int size(Integer size) {
        int n = size == null ? DEFAULT_SIZE : size;
        if (n < 1 || n > MAX_SIZE) {
            throw new DashboardException(HttpStatus.BAD_REQUEST, "size must be between 1 and " + MAX_SIZE);
        }
        return n;
    }

    private static int offset(Integer page, int size) {
        if (page != null && page < 1) {
            throw new DashboardException(HttpStatus.BAD_REQUEST, "page must be at least 1");
        }
        long offset = page == null ? 0 : (long) (page - 1) * size;
        if (offset > Integer.MAX_VALUE) {
            throw new DashboardException(HttpStatus.BAD_REQUEST, "page is too large");
        }
        return (int) offset;
    }

    private static @Nullable LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        }
        catch (DateTimeParseException ex) {
            throw new DashboardException(HttpStatus.BAD_REQUEST, name + " must be a date like 2026-11-30");
        }
    }

    private void requireRun(long id) {
        if (!repository.runExists(id)) {
            throw notFound("run " + id);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static DashboardException notFound(String what) {
        return new DashboardException(HttpStatus.NOT_FOUND, what + " not found");
    }

    @ExceptionHandler(DashboardException.class)
    ResponseEntity<Map<String, Object>> handle(DashboardException ex) {
        return ResponseEntity.status(ex.status).body(Map.of("status", ex.status.value(), "error", ex.getMessage()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> handle(MethodArgumentTypeMismatchException ex) {
        return handle(new DashboardException(HttpStatus.BAD_REQUEST, ex.getName() + " must be a number"));
    }

    static final class DashboardException extends RuntimeException {

        private final HttpStatus status;

        DashboardException(HttpStatus status, String message) {
            super(message);
            this.status = status;
        }
    }
}
