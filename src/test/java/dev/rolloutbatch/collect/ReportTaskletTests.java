package dev.rolloutbatch.collect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the report reads AIOpsLab's verdict out of a stored evaluation, old rows included. */
class ReportTaskletTests {

    @Test
    void readsTheAiopslabVerdictAndFallsBackToTheProjectsForOldRows() {
        String both = """
                {"aiopslab": {"success": true, "results": {"success": true}},
                 "reward": {"success": false, "value": 0.0, "components": {}},
                 "submission": "submit()", "steps": 3, "max_steps": 30}""";
        assertThat(ReportTasklet.aiopslabSuccess(both, false)).isTrue();
        assertThat(ReportTasklet.aiopslabSuccess(both.replace("\"success\": true, \"results\"",
                "\"success\": false, \"results\""), true)).isFalse();
        // a row from before both gradings: a plain results map
        assertThat(ReportTasklet.aiopslabSuccess("{\"Detection Accuracy\": \"Correct\"}", true)).isTrue();
        assertThat(ReportTasklet.aiopslabSuccess(null, false)).isFalse();
        assertThat(ReportTasklet.aiopslabSuccess("not json", true)).isTrue();
    }

    @Test
    void theTableShowsBothRates() {
        RunReport.Line line = new RunReport.Line("mitigation", 4, 4, 4, 1, 0, 0.25, 3, 0.75, 5, 2, 0, 0,
                java.math.BigDecimal.ZERO);
        String table = ReportTasklet.table(new RunReport(1, line, java.util.List.of(line), java.util.List.of(), java.util.Map.of()));
        assertThat(table).contains("aiopslab").containsPattern("mitigation\\s+4\\s+25\\.0%\\s+75\\.0%");
    }
}
