package dev.rolloutbatch.envservice;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.rolloutbatch.environment.Evaluation;

/**
 * An {@link Evaluation} in the shapes of the team's evaluation contract: the protocol's evaluation response
 * ({@code results, success, reward, aiopslab, reward_components}) and the stored {@code episode.evaluation}
 * ({@code aiopslab, reward, submission, steps, max_steps}).
 * <p>
 * The record is read through its JSON form, by component name, so that an AIOpsLab grading added to it is passed
 * through, and an Evaluation without one still serialises: then its {@code results} are AIOpsLab's result fields
 * and its {@code success} stands for both gradings.
 */
final class EvaluationJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EvaluationJson() {
    }

    /** The grading in a form both shapes are built from. */
    record Graded(JsonNode aiopslabResults, boolean aiopslabSuccess, boolean success, double reward,
            JsonNode components) {
    }

    static Graded of(Evaluation evaluation) {
        return of((JsonNode) JSON.valueToTree(evaluation));
    }

    /** From the JSON form of an Evaluation: its components by name. */
    static Graded of(JsonNode node) {
        JsonNode results = objectOrEmpty(node.get("results"));
        boolean success = node.path("success").asBoolean(false);
        JsonNode rewardNode = node.get("reward");
        double reward = rewardNode != null && rewardNode.isNumber() ? rewardNode.asDouble()
                : rewardNode != null && rewardNode.isObject() ? rewardNode.path("value").asDouble(0) : 0;
        JsonNode aiopslab = node.get("aiopslab");
        JsonNode aiopslabResults = results;
        boolean aiopslabSuccess = success;
        if (aiopslab != null && aiopslab.isObject()) {
            if (aiopslab.has("results") && aiopslab.get("results").isObject()) {
                aiopslabResults = aiopslab.get("results");
            }
            else if (!aiopslab.has("success")) {
                aiopslabResults = aiopslab;
            }
            aiopslabSuccess = aiopslab.path("success").asBoolean(success);
        }
        JsonNode components = first(node, "rewardComponents", "reward_components", "components");
        if (components == null && rewardNode != null && rewardNode.isObject()) {
            components = rewardNode.get("components");
        }
        return new Graded(aiopslabResults, aiopslabSuccess, success, reward, objectOrEmpty(components));
    }

    /** The protocol's evaluation response. */
    static Map<String, Object> response(Graded g) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", g.aiopslabResults());
        body.put("success", g.success());
        body.put("reward", g.reward());
        Map<String, Object> aiopslab = new LinkedHashMap<>();
        aiopslab.put("success", g.aiopslabSuccess());
        aiopslab.put("results", g.aiopslabResults());
        body.put("aiopslab", aiopslab);
        body.put("reward_components", g.components());
        return body;
    }

    /** The {@code episode.evaluation} column. */
    static String stored(Graded g, String submission, int steps, int maxSteps) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aiopslab = root.putObject("aiopslab");
        aiopslab.put("success", g.aiopslabSuccess());
        aiopslab.set("results", g.aiopslabResults());
        ObjectNode reward = root.putObject("reward");
        reward.put("success", g.success());
        reward.put("value", g.reward());
        reward.set("components", g.components());
        root.put("submission", submission);
        root.put("steps", steps);
        root.put("max_steps", maxSteps);
        return JSON.writeValueAsString(root);
    }

    private static JsonNode first(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull()) {
                return value;
            }
        }
        return null;
    }

    private static JsonNode objectOrEmpty(JsonNode node) {
        return node != null && node.isObject() ? node : JSON.createObjectNode();
    }
}
