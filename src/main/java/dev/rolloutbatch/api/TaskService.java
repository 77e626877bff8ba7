package dev.rolloutbatch.api;

import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Service;

import dev.rolloutbatch.agent.Policies;
import dev.rolloutbatch.catalog.ProblemCatalog;
import dev.rolloutbatch.environment.Environments;
import dev.rolloutbatch.episode.EpisodeStatus;

/** Submits and cancels tasks; the {@link TaskWorkers} run them. */
@Service
@Profile("serve")
class TaskService {

    private final TaskRequestParser parser;
    private final TaskRepository tasks;
    private final ProblemCatalog catalog;
    private final Policies policies;
    private final Environments environments;
    private final ApiProperties properties;
    private final TaskWorkers workers;

    TaskService(TaskRequestParser parser, TaskRepository tasks, ProblemCatalog catalog, Policies policies,
            Environments environments, ApiProperties properties, TaskWorkers workers) {
        this.parser = parser;
        this.tasks = tasks;
        this.catalog = catalog;
        this.policies = policies;
        this.environments = environments;
        this.properties = properties;
        this.workers = workers;
    }

    TaskView submit(JsonNode body) {
        NewTask task = parser.parse(body);
        String policy = task.useLlm() ? properties.llmPolicy() : properties.offlinePolicy();
        if (!policies.has(policy)) {
            throw new BadRequestException("parameters.use_llm", "the policy '" + policy + "' is not available in"
                    + " this server");
        }
        if (!environments.has(properties.environment())) {
            throw new IllegalStateException("environment '" + properties.environment() + "' is not available"
                    + " (rollout.api.environment)");
        }
        long seed = task.settings().seed() != null ? task.settings().seed()
                : ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
        long id = tasks.insert(task, catalog.get(task.problemId()), policy, properties.environment(), seed);
        // A polling worker may claim the task at once: the answer shows it as it was submitted.
        TaskView created = get(id).asSubmitted();
        workers.wake();
        return created;
    }

    TaskView get(long id) {
        return tasks.find(id).orElseThrow(() -> new NotFoundException("task " + id + " not found"));
    }

    /** Pending: cancelled at once. Running: asked to stop at the next step. Already ended: conflict. */
    TaskView cancel(long id) {
        if (!tasks.cancelPending(id) && !tasks.requestCancel(id)) {
            TaskView task = get(id);
            if (EpisodeStatus.fromId(task.status()).isFinal()) {
                throw new ConflictException("task " + id + " has already ended (" + task.status() + ")");
            }
            return cancel(id); // it changed state between the two updates: try again
        }
        return get(id);
    }
}
