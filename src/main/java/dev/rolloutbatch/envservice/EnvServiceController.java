package dev.rolloutbatch.envservice;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.rolloutbatch.agent.AgentSettings;
import dev.rolloutbatch.agent.Protocol;

/**
 * The step-wise protocol the {@code http} environment speaks, served on top of this server's environment (the
 * twin by default): {@code GET /problems}, {@code POST /problems/{id}/sessions}, {@code POST
 * /sessions/{sid}/actions}, {@code POST /sessions/{sid}/evaluation}, {@code DELETE /sessions/{sid}}.
 */
@RestController
@Profile("serve")
class EnvServiceController {

    static final int MAX_STEPS_LIMIT = 1000;

    private final EnvSessions sessions;

    EnvServiceController(EnvSessions sessions) {
        this.sessions = sessions;
    }

    @GetMapping("/problems")
    Map<String, Object> problems() {
        return Map.of("problems", sessions.problems());
    }

    @PostMapping("/problems/{problemId}/sessions")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> open(@PathVariable String problemId, @RequestBody(required = false) JsonNode body) {
        JsonNode b = body == null || body.isNull() ? null : body;
        if (b != null && !b.isObject()) {
            throw EnvServiceException.badRequest("body: expected a JSON object");
        }
        Long seed = integer(b, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
        Long maxSteps = integer(b, "max_steps", 1, MAX_STEPS_LIMIT);
        JsonNode sampling = b == null ? null : b.get("sampling");
        if (sampling != null && !sampling.isNull() && !sampling.isObject()) {
            throw EnvServiceException.badRequest("sampling: expected an object {temperature, top_p, max_tokens}");
        }
        Long maxTokens = integer(sampling, "max_tokens", 1, Integer.MAX_VALUE);
        AgentSettings settings = new AgentSettings(null, Protocol.TEXT, number(sampling, "temperature"),
                number(sampling, "top_p"), maxTokens == null ? null : maxTokens.intValue(), null, List.of(), false);
        return sessions.open(new EnvSessions.Opening(problemId,
                seed != null ? seed : ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), text(b, "model", 200),
                maxSteps == null ? null : maxSteps.intValue(), text(b, "group_id", 300), settings));
    }

    @PostMapping("/sessions/{sessionId}/actions")
    Map<String, Object> act(@PathVariable String sessionId, @RequestBody(required = false) JsonNode body) {
        if (body == null || !body.isObject()) {
            throw EnvServiceException.badRequest("body: expected {\"action\": \"<one API call>\"}");
        }
        String action = text(body, "action", Integer.MAX_VALUE);
        String response = text(body, "response", Integer.MAX_VALUE);
        if (action == null && response == null) {
            throw EnvServiceException.badRequest("action: required (one API call, e.g. exec_shell(\"kubectl get"
                    + " pods -n <namespace>\")), or response: the agent's whole answer");
        }
        if (action != null && action.isBlank()) {
            throw EnvServiceException.badRequest("action: must not be blank");
        }
        return sessions.act(sessionId, action, action == null ? response : null);
    }

    @PostMapping("/sessions/{sessionId}/evaluation")
    Map<String, Object> evaluate(@PathVariable String sessionId) {
        return sessions.evaluate(sessionId);
    }

    @DeleteMapping("/sessions/{sessionId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String sessionId) {
        sessions.delete(sessionId);
    }

    private static @Nullable String text(JsonNode body, String field, int maxLength) {
        JsonNode value = body == null ? null : body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw EnvServiceException.badRequest(field + ": expected a string");
        }
        if (value.asString().length() > maxLength) {
            throw EnvServiceException.badRequest(field + ": longer than " + maxLength + " characters");
        }
        return value.asString();
    }

    private static @Nullable Long integer(JsonNode body, String field, long min, long max) {
        JsonNode value = body == null ? null : body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw EnvServiceException.badRequest(field + ": expected an integer, got " + value);
        }
        long n = value.asLong();
        if (n < min || n > max) {
            throw EnvServiceException.badRequest(field + ": " + n + " is out of range " + min + ".." + max);
        }
        return n;
    }

    private static @Nullable Double number(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw EnvServiceException.badRequest("sampling." + field + ": expected a number, got " + value);
        }
        return value.asDouble();
    }
}
