package dev.rolloutbatch.launch;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobParameterValuesTests {

    @Test
    void aTypedValueAndItsCommandLineTextReadTheSame() {
        assertThat(JobParameterValues.date(LocalDate.of(2026, 11, 30))).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(JobParameterValues.date(" 2026-11-30 ")).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(JobParameterValues.wholeNumber(7L)).isEqualTo(7L);
        assertThat(JobParameterValues.wholeNumber(" 7")).isEqualTo(7L);
        assertThat(JobParameterValues.number(0.5d)).isEqualTo(0.5d);
        assertThat(JobParameterValues.number("0.5 ")).isEqualTo(0.5d);
        assertThat(JobParameterValues.bool(Boolean.TRUE)).isTrue();
        assertThat(JobParameterValues.bool(" FALSE ")).isFalse();
    }

    @Test
    void whatDoesNotReadIsRefused() {
        assertThatThrownBy(() -> JobParameterValues.date("2026-13-45")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> JobParameterValues.wholeNumber("abc")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> JobParameterValues.wholeNumber(2.5d)).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> JobParameterValues.number("lots")).isInstanceOf(NumberFormatException.class);
        assertThat(JobParameterValues.bool("maybe")).isNull();
    }

    @Test
    void anAbsentParameterHasNoValue() {
        JobParameters parameters = new JobParametersBuilder().addString("samples", "4").toJobParameters();
        assertThat(JobParameterValues.value(parameters, "samples")).isEqualTo("4");
        assertThat(JobParameterValues.value(parameters, "runDate")).isNull();
    }
}
