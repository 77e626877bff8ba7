package dev.rolloutbatch.collect;

import java.math.BigDecimal;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import dev.rolloutbatch.agent.Protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectParametersTests {

    @Test
    void defaultsMakeAnOfflineSmokeRun() throws Exception {
        CollectParameters p = CollectParameters.from(new JobParameters(), "scripted");
        assertThat(p.problems()).isEqualTo("jobs/smoke.csv");
        assertThat(p.runDate()).isEqualTo(LocalDate.now(java.time.ZoneOffset.UTC));
        assertThat(p.policy()).isEqualTo("scripted");
        assertThat(p.model()).isEqualTo("scripted-baseline");
        assertThat(p.environment()).isEqualTo("simulated");
        assertThat(p.samples()).isEqualTo(1);
        assertThat(p.protocol()).isEqualTo(Protocol.TEXT);
        assertThat(p.budgetUsd()).isNull();
    }

    @Test
    void readsStringsAndTypedValues() throws Exception {
        JobParameters parameters = new JobParametersBuilder().addString("samples", "4")
            .addLong("concurrency", 64L)
            .addLocalDate("runDate", LocalDate.of(2026, 11, 25))
            .addString("policy", "openai")
            .addString("model", "gpt-4o")
            .addString("temperature", "0.7")
            .addString("protocol", "tools")
            .addString("logprobs", "true")
            .addString("budgetUsd", "12.50")
            .toJobParameters();
        CollectParameters p = CollectParameters.from(parameters, "scripted");
        assertThat(p.samples()).isEqualTo(4);
        assertThat(p.concurrency()).isEqualTo(64);
        assertThat(p.runDate()).isEqualTo(LocalDate.of(2026, 11, 25));
        assertThat(p.model()).isEqualTo("gpt-4o");
        assertThat(p.temperature()).isEqualTo(0.7);
        assertThat(p.protocol()).isEqualTo(Protocol.TOOLS);
        assertThat(p.logprobs()).isTrue();
        assertThat(p.budgetUsd()).isEqualByComparingTo(new BigDecimal("12.50"));
    }

    @Test
    void namesEveryBadParameter() {
        JobParameters parameters = new JobParametersBuilder().addString("samples", "abc")
            .addString("concurrency", "0")
            .addString("runDate", "2026-13-45")
            .addString("temperature", "7")
            .addString("budgetUsd", "-1")
            .addString("protocol", "xml")
            .addString("logprobs", "maybe")
            .addString("sample", "3")
            .toJobParameters();
        assertThatThrownBy(() -> CollectParameters.from(parameters, "scripted"))
            .hasMessageContaining("samples: 'abc' is not a whole number")
            .hasMessageContaining("concurrency: must be between 1 and 4096 (was 0)")
            .hasMessageContaining("runDate: '2026-13-45' is not a date (YYYY-MM-DD)")
            .hasMessageContaining("temperature: must be between 0.0 and 2.0 (was 7)")
            .hasMessageContaining("budgetUsd: must be more than 0 (was -1)")
            .hasMessageContaining("protocol: 'xml' is not one of text, tools")
            .hasMessageContaining("logprobs: 'maybe' is not true or false")
            .hasMessageContaining("unknown parameter 'sample'");
    }
}
