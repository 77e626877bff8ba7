package dev.rolloutbatch.api;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/llm-conversations")
@Profile("serve")
class ConversationController {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    private final ConversationRepository conversations;
    private final ApiProperties properties;

    ConversationController(ConversationRepository conversations, ApiProperties properties) {
        this.conversations = conversations;
        this.properties = properties;
    }

    @GetMapping
    ListPage<ConversationView> list(@RequestParam(name = "task_id", required = false) Long taskId,
            @RequestParam(name = "model_name", required = false) String modelName,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer offset) {
        return conversations.list(taskId, modelName, Paging.of(page, size, limit, offset, properties.maxPageSize()));
    }

    @GetMapping("/stats/summary")
    ConversationSummary summary() {
        return conversations.summary();
    }

    @GetMapping("/task/{taskId}/conversations")
    ListPage<ConversationView> ofTask(@PathVariable long taskId) {
        if (!conversations.taskExists(taskId)) {
            throw new NotFoundException("task " + taskId + " not found");
        }
        List<ConversationView> items = conversations.ofTask(taskId);
        return new ListPage<>(items, items.size(), items.size(), 0);
    }

    @GetMapping("/{id}")
    ConversationView get(@PathVariable UUID id) {
        return conversations.find(id).orElseThrow(() -> new NotFoundException("conversation " + id + " not found"));
    }

    @GetMapping("/{id}/messages")
    ListPage<MessageView> messages(@PathVariable UUID id, @RequestParam(required = false) String role,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer offset) {
        if (role != null && !ROLES.contains(role)) {
            throw new BadRequestException("role", "must be one of system, user, assistant, tool");
        }
        get(id);
        int max = Math.max(properties.maxPageSize(), 10_000);
        return conversations.messages(id, role, Paging.of(null, null, limit == null ? max : limit, offset, max));
    }
}
