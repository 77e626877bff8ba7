package dev.rolloutbatch.api;

import java.util.Arrays;

import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.rolloutbatch.episode.EpisodeStatus;

@RestController
@RequestMapping("/api/v1/tasks")
@Profile("serve")
class TaskController {

    private final TaskService service;
    private final TaskRepository tasks;
    private final ApiProperties properties;

    TaskController(TaskService service, TaskRepository tasks, ApiProperties properties) {
        this.service = service;
        this.tasks = tasks;
        this.properties = properties;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TaskView create(@RequestBody JsonNode body) {
        return service.submit(body);
    }

    @GetMapping
    ListPage<TaskView> list(@RequestParam(required = false) String status,
            @RequestParam(name = "problem_id", required = false) String problemId,
            @RequestParam(name = "worker_id", required = false) String workerId,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer offset) {
        if (status != null && Arrays.stream(EpisodeStatus.values()).noneMatch(s -> s.id().equals(status))) {
            throw new BadRequestException("status", "must be one of pending, running, completed, failed, timeout,"
                    + " cancelled");
        }
        return tasks.list(status, problemId, workerId,
                Paging.of(page, size, limit, offset, properties.maxPageSize()));
    }

    @GetMapping("/stats")
    TaskStats stats() {
        return tasks.stats();
    }

    @GetMapping("/{id}")
    TaskView get(@PathVariable long id) {
        return service.get(id);
    }

    @PostMapping("/{id}/cancel")
    TaskView cancel(@PathVariable long id) {
        return service.cancel(id);
    }
}
