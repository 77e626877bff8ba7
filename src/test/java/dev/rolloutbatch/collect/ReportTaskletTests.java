package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.rolloutbatch.episode.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

/** How the report table shows a run's outcome. */
class ReportTaskletTests {

    private static final Outcome MITIGATION = new Outcome("mitigation", "mitigation", 2, 4, 0, 0, 4, 4, 0, 1, 3,
            0.25, 0.75, 0.25, 0.5, -0.546, 1.046, new TreeMap<>(Map.of(1, 0.25, 2, 0.5)), new TreeMap<>(Map.of(1, 0.75, 2, 1.0)), 5.0, 2.0, 100, 10,
            BigDecimal.ZERO);

    @Test
    void theTableShowsBothRatesTheRewardWithItsSpreadAndIntervalAndPassAtK() {
        String table = ReportTasklet.table(new RunReport(1, MITIGATION, List.of(MITIGATION), List.of(), Map.of()));
        assertThat(table).contains("aiopslab", "reward", "std", "95% CI", "pass@k")
            .containsPattern("mitigation\\s+4\\s+25\\.0%\\s+75\\.0%\\s+0\\s+5\\.0\\s+2\\.0s\\s+0\\.250\\s+0\\.500"
                    + "\\s+\\[-0\\.546, 1\\.046\\]\\s+100\\s+10\\s+0\\.000000\\s+@1 0\\.250 @2 0\\.500\\n");
    }

    @Test
    void aGroupWithNothingFinishedShowsDashes() {
        Outcome pending = new Outcome("detection", "detection", 1, 2, 2, 0, 0, 0, 0, 0, 0, null, null, null, null,
                null, null, Map.of(), Map.of(), null, null, 0, 0, null);
        String table = ReportTasklet.table(new RunReport(1, pending, List.of(pending), List.of(pending), Map.of()));
        assertThat(table).containsPattern("detection\\s+2\\s+-\\s+-\\s+0\\s+-\\s+-\\s+-\\s+-\\s+-\\s+0\\s+0\\s+unknown"
                + "\\s+-\\n");
    }
}
