package dev.rolloutbatch.export;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportParametersTests {

    @Test
    void defaultsForASingleDay() throws Exception {
        ExportParameters p = ExportParameters.parse(new JobParametersBuilder()
                .addLocalDate("runDate", LocalDate.of(2026, 11, 25)).toJobParameters());
        assertThat(p).isEqualTo(new ExportParameters(LocalDate.of(2026, 11, 25), LocalDate.of(2026, 11, 25), null,
                List.of(ExportFormat.TRAJECTORIES), "datasets", null, Compression.ZSTD, 100_000, 0.0, SplitBy.FAMILY,
                0.1, 0.1));
        assertThat(p.onlySuccessful(ExportFormat.TRAJECTORIES)).isFalse();
    }

    @Test
    void sftExportsOnlySuccessesByDefaultAndStringsAreAccepted() throws Exception {
        ExportParameters p = ExportParameters.parse(new JobParametersBuilder().addString("from", "2026-11-01")
                .addString("to", "2026-11-30").addString("format", "SFT").addString("runId", "7")
                .addString("compression", "none").addString("maxRowsPerFile", "10").toJobParameters());
        assertThat(p.onlySuccessful(ExportFormat.SFT)).isTrue();
        assertThat(p.formats()).containsExactly(ExportFormat.SFT);
        assertThat(p.runId()).isEqualTo(7L);
        assertThat(p.compression().suffix()).isEqualTo(".parquet");
        assertThat(p.maxRowsPerFile()).isEqualTo(10);
        assertThat(ExportParameters.parse(new JobParametersBuilder().addString("runDate", "2026-11-25")
                .addString("format", "sft").addString("onlySuccessful", "false").toJobParameters())
                .onlySuccessful(ExportFormat.SFT)).isFalse();
    }

    @Test
    void allFormatsSplitsAndFailureReward() throws Exception {
        ExportParameters p = ExportParameters.parse(new JobParametersBuilder().addString("runDate", "2026-11-25")
                .addString("format", "all").addString("failureReward", "-0.5").addString("splitBy", "problem")
                .addString("validationRatio", "0.2").addDouble("testRatio", 0.3).toJobParameters());
        assertThat(p.formats()).containsExactly(ExportFormat.TRAJECTORIES, ExportFormat.SFT, ExportFormat.VERL);
        assertThat(p.onlySuccessful(ExportFormat.SFT)).isTrue();
        assertThat(p.onlySuccessful(ExportFormat.VERL)).isFalse();
        assertThat(p.failureReward()).isEqualTo(-0.5);
        assertThat(p.splitBy()).isEqualTo(SplitBy.PROBLEM);
        assertThat(p.validationRatio()).isEqualTo(0.2);
        assertThat(p.testRatio()).isEqualTo(0.3);
        assertThatThrownBy(() -> ExportParameters.parse(new JobParametersBuilder().addString("runDate", "2026-11-25")
                .addString("validationRatio", "0.7").addString("testRatio", "0.6").addString("splitBy", "random")
                .addString("failureReward", "lots").toJobParameters()))
                .hasMessageContaining("validationRatio + testRatio: must be at most 1 (was 0.7 + 0.6)")
                .hasMessageContaining("splitBy: 'random' is not one of problem, family")
                .hasMessageContaining("failureReward: 'lots' is not a number");
    }

    @Test
    void theSplitOfAKeyIsAStableHash() {
        // SHA-256("k8s_target_port-misconfig")[0..8] >>> 11 / 2^53, as the Python consumer tests recompute it
        double u = Splits.unit("k8s_target_port-misconfig");
        assertThat(u).isBetween(0.0, 1.0);
        assertThat(Splits.unit("k8s_target_port-misconfig")).isEqualTo(u);
        Splits everythingTest = new Splits(SplitBy.PROBLEM, 0.0, 1.0, null);
        Splits nothingHeldOut = new Splits(SplitBy.PROBLEM, 0.0, 0.0, null);
        assertThat(everythingTest.of("any-problem-1")).isEqualTo("test");
        assertThat(nothingHeldOut.of("any-problem-1")).isEqualTo("train");
    }

    @Test
    void everyProblemIsNamed() {
        assertThatThrownBy(() -> ExportParameters.parse(new JobParametersBuilder().toJobParameters()))
                .hasMessageContaining("runDate: missing");
        assertThatThrownBy(() -> ExportParameters.parse(new JobParametersBuilder().addString("from", "2026-11-30")
                .addString("to", "2026-11-01").addString("runId", "-3").addString("outptu", "x").toJobParameters()))
                .isInstanceOf(InvalidJobParametersException.class)
                .hasMessageContaining("from: 2026-11-30 is after to (2026-11-01)")
                .hasMessageContaining("runId: must be at least 1 (was -3)")
                .hasMessageContaining("unknown parameter 'outptu'");
        assertThatThrownBy(() -> ExportParameters.parse(new JobParametersBuilder().addString("from", "2026-11-30")
                .toJobParameters())).hasMessageContaining("to: missing: from and to go together");
        assertThatThrownBy(() -> ExportParameters.parse(new JobParametersBuilder().addString("runDate", "2026-11-30")
                .addString("to", "2026-12-01").toJobParameters())).hasMessageContaining("runDate: give either runDate or from/to");
        assertThatThrownBy(() -> ExportParameters.parse(new JobParametersBuilder().addString("runDate", "2026-11-30")
                .addString("output", " ").toJobParameters())).hasMessageContaining("output: must not be empty");
    }
}
