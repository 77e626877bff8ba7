package dev.rolloutbatch.environment;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class EvaluationTests {

    private final Evaluation disagreeing = new Evaluation(Map.of("Localization Accuracy", 0.0, "steps", 1), true, 0.9,
            false, Map.of("outcome", 1.0, "step_cost", -0.1), "submit([\"geo\"])", 1, 30);

    @Test
    void theStoredFormKeepsBothGradingsApart() {
        Map<String, Object> stored = disagreeing.forEpisode(3, 20, null).toStored();
        assertThat(stored).containsOnlyKeys("aiopslab", "reward", "submission", "steps", "max_steps");
        assertThat((Map<String, Object>) stored.get("aiopslab")).containsEntry("success", false);
        assertThat(((Map<String, Object>) ((Map<String, Object>) stored.get("aiopslab")).get("results"))).containsEntry("steps", 3);
        assertThat((Map<String, Object>) stored.get("reward")).containsEntry("success", true).containsEntry("value", 0.9);
        assertThat(stored).containsEntry("submission", "submit([\"geo\"])").containsEntry("steps", 3)
                .containsEntry("max_steps", 20);
    }

    @Test
    void theHttpResponseCarriesTheProjectGradingAtTheTopAndAiopslabsBeside() {
        Map<String, Object> response = disagreeing.toHttpResponse();
        assertThat(response).containsEntry("success", true).containsEntry("reward", 0.9);
        assertThat((Map<String, Object>) response.get("aiopslab")).containsEntry("success", false);
        assertThat((Map<String, Object>) response.get("reward_components")).containsEntry("step_cost", -0.1);
    }

    @Test
    void aSingleGradingStandsForBoth() {
        Evaluation single = new Evaluation(Map.of("Detection Accuracy", "Correct"), true, 1.0);
        assertThat((Map<String, Object>) single.toStored().get("aiopslab")).containsEntry("success", true);
        assertThat(single.forEpisode(2, 10, "submit(\"Yes\")").submission()).isEqualTo("submit(\"Yes\")");
    }
}
