package dev.rolloutbatch.export;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportParametersTests {

    @Test
    void defaultsForASingleDay() throws Exception {
        ExportParameters p = ExportParameters.parse(new JobParametersBuilder()
                .addLocalDate("runDate", LocalDate.of(2026, 11, 25)).toJobParameters());
        assertThat(p).isEqualTo(new ExportParameters(LocalDate.of(2026, 11, 25), LocalDate.of(2026, 11, 25), null,
                ExportFormat.TRAJECTORIES, "datasets", false, Compression.ZSTD, 100_000));
    }

    @Test
    void sftExportsOnlySuccessesByDefaultAndStringsAreAccepted() throws Exception {
        ExportParameters p = ExportParameters.parse(new JobParametersBuilder().addString("from", "2026-11-01")
                .addString("to", "2026-11-30").addString("format", "SFT").addString("runId", "7")
                .addString("compression", "none").addString("maxRowsPerFile", "10").toJobParameters());
        assertThat(p.onlySuccessful()).isTrue();
        assertThat(p.runId()).isEqualTo(7L);
        assertThat(p.compression().suffix()).isEqualTo(".parquet");
        assertThat(p.maxRowsPerFile()).isEqualTo(10);
        assertThat(ExportParameters.parse(new JobParametersBuilder().addString("runDate", "2026-11-25")
                .addString("format", "sft").addString("onlySuccessful", "false").toJobParameters()).onlySuccessful())
                .isFalse();
    }

    @Test
    void everyProblemIsNamed() {
        assertThatThrownBy(() -> ExportParameters.parse(new JobParametersBuilder().toJobParameters()))
                .hasMessageContaining("missing parameter: runDate");
        assertThatThrownBy(() -> ExportParameters.parse(new JobParametersBuilder().addString("from", "2026-11-30")
                .addString("to", "2026-11-01").addString("runId", "-3").addString("outptu", "x").toJobParameters()))
                .isInstanceOf(InvalidExportParametersException.class)
                .hasMessageContaining("from (2026-11-30) is after to (2026-11-01)")
                .hasMessageContaining("'runId' must be a positive integer, got -3")
                .hasMessageContaining("unknown parameter 'outptu'");
        assertThatThrownBy(() -> ExportParameters.parse(new JobParametersBuilder().addString("from", "2026-11-30")
                .toJobParameters())).hasMessageContaining("from and to go together");
        assertThatThrownBy(() -> ExportParameters.parse(new JobParametersBuilder().addString("runDate", "2026-11-30")
                .addString("to", "2026-12-01").toJobParameters())).hasMessageContaining("either runDate or from/to");
        assertThatThrownBy(() -> ExportParameters.parse(new JobParametersBuilder().addString("runDate", "2026-11-30")
                .addString("output", " ").toJobParameters())).hasMessageContaining("output must not be blank");
    }
}
