package dev.rolloutbatch.export;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTests {

    @Test
    void jsonColumnsKeepValidJsonAndQuoteTheRest() {
        assertThat(Json.column("{\"command\": \"ls\"}")).isEqualTo("{\"command\": \"ls\"}");
        assertThat(Json.column("[1, 2]")).isEqualTo("[1, 2]");
        // a model's truncated arguments stay readable: a JSON string holding the raw text
        assertThat(Json.column("{\"command\": \"ls")).isEqualTo("\"{\\\"command\\\": \\\"ls\"");
        assertThat(Json.column("{\"a\": 1} trailing")).isEqualTo("\"{\\\"a\\\": 1} trailing\"");
        assertThat(Json.column(null)).isNull();
    }

    @Test
    void aiopslabSuccessComesFromTheSharedEvaluationShapeOnly() {
        assertThat(Json.aiopslabSuccess("{\"aiopslab\": {\"success\": true, \"results\": {}}, \"reward\": {}}"))
            .isTrue();
        assertThat(Json.aiopslabSuccess("{\"aiopslab\": {\"success\": false}}")).isFalse();
        assertThat(Json.aiopslabSuccess("{\"Detection Accuracy\": \"Correct\"}")).isNull();
        assertThat(Json.aiopslabSuccess(null)).isNull();
    }
}
