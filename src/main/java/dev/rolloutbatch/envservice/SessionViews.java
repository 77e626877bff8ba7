package dev.rolloutbatch.envservice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.environment.ActionSpec;
import dev.rolloutbatch.environment.TaskBrief;

/** The JSON bodies of the protocol's answers (snake_case, as the {@code http} environment reads them). */
final class SessionViews {

    private SessionViews() {
    }

    /**
     * {@code actions} is a list of {@code {name, description, parameters: [{name, type, description, required}]}}
     * so that a client rebuilds exactly the documentation (and tool schemas) the twin gives its own agents;
     * {@code prompt} holds the opening messages this service logs, which a trainer may start from.
     */
    static Map<String, Object> opened(LiveSession s, TaskBrief brief) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_id", s.id);
        body.put("episode_id", s.episode.id());
        body.put("problem_id", s.problem.id());
        body.put("task_type", s.problem.taskType().id());
        body.put("seed", s.episode.seed());
        body.put("max_steps", s.maxSteps);
        body.put("task_description", brief.taskDescription());
        body.put("instructions", brief.instructions());
        body.put("actions", actions(brief.actions()));
        List<Map<String, Object>> prompt = new ArrayList<>();
        for (ChatMessage m : s.opening) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", m.role());
            message.put("content", m.content());
            prompt.add(message);
        }
        body.put("prompt", prompt);
        return body;
    }

    static Map<String, Object> stepped(LiveSession s, String observation, boolean done) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("observation", observation);
        body.put("done", done);
        body.put("steps", s.steps);
        body.put("truncated", !done && s.steps >= s.maxSteps);
        return body;
    }

    private static List<Map<String, Object>> actions(List<ActionSpec> specs) {
        List<Map<String, Object>> actions = new ArrayList<>();
        for (ActionSpec spec : specs) {
            Map<String, Object> action = new LinkedHashMap<>();
            action.put("name", spec.name());
            action.put("description", spec.description());
            List<Map<String, Object>> parameters = new ArrayList<>();
            for (ActionSpec.Parameter p : spec.parameters()) {
                Map<String, Object> parameter = new LinkedHashMap<>();
                parameter.put("name", p.name());
                parameter.put("type", p.type());
                parameter.put("description", p.description());
                parameter.put("required", p.required());
                parameters.add(parameter);
            }
            action.put("parameters", parameters);
            actions.add(action);
        }
        return actions;
    }
}
