package dev.rolloutbatch.envservice;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.rolloutbatch.environment.Evaluation;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluationJsonTests {

    @Test
    void anEvaluationWithoutAnAiopslabGradingStandsForBoth() {
        EvaluationJson.Graded g = EvaluationJson.of(new Evaluation(Map.of("Detection Accuracy", "Correct"), true, 1.0));
        Map<String, Object> response = EvaluationJson.response(g);
        assertThat(response.get("success")).isEqualTo(true);
        assertThat(response.get("reward")).isEqualTo(1.0);
        assertThat(response.get("results").toString()).contains("Correct");
        assertThat(response.get("aiopslab").toString()).contains("success=true");
        JsonNode stored = ServiceHttp.JSON.readTree(EvaluationJson.stored(g, "submit(\"Yes\")", 2, 20));
        assertThat(stored.get("aiopslab").get("results").get("Detection Accuracy").asString()).isEqualTo("Correct");
        assertThat(stored.get("reward").get("value").asDouble()).isEqualTo(1.0);
        assertThat(stored.get("reward").get("components").isObject()).isTrue();
        assertThat(stored.get("submission").asString()).isEqualTo("submit(\"Yes\")");
        assertThat(stored.get("max_steps").asInt()).isEqualTo(20);
    }

    @Test
    void anAiopslabGradingAndRewardComponentsArePassedThrough() {
        // The shape the twin's Evaluation takes once it carries both gradings (contract 1): AIOpsLab says
        // Incorrect where the project's reward counts a success.
        JsonNode evaluation = ServiceHttp.JSON.readTree("""
                {"results": {"Localization Accuracy": 100.0, "success": true}, "success": true, "reward": 0.9,
                 "aiopslab": {"success": false, "results": {"Localization Accuracy": 0.0, "success": false}},
                 "rewardComponents": {"success": 1.0, "step_cost": -0.1}}""");
        EvaluationJson.Graded g = EvaluationJson.of(evaluation);
        JsonNode response = ServiceHttp.JSON.valueToTree(EvaluationJson.response(g));
        assertThat(response.get("results").get("Localization Accuracy").asDouble()).isEqualTo(0.0);
        assertThat(response.get("aiopslab").get("success").asBoolean()).isFalse();
        assertThat(response.get("success").asBoolean()).isTrue();
        assertThat(response.get("reward").asDouble()).isEqualTo(0.9);
        assertThat(response.get("reward_components").get("step_cost").asDouble()).isEqualTo(-0.1);
        JsonNode stored = ServiceHttp.JSON.readTree(EvaluationJson.stored(g, null, 3, 30));
        assertThat(stored.get("aiopslab").get("success").asBoolean()).isFalse();
        assertThat(stored.get("reward").get("success").asBoolean()).isTrue();
        assertThat(stored.get("reward").get("components").get("success").asDouble()).isEqualTo(1.0);
        assertThat(stored.get("submission").isNull()).isTrue();
    }
}
