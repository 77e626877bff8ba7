package dev.rolloutbatch.conversation;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class PriceTableTests {

    private final PriceTable table = new PriceTable();

    private static final Usage USAGE = new Usage(1_000_001, 2_000, 0, 333, 100, false);

    @Test
    void costsAreExactPerBucket() {
        Cost cost = table.price("gpt-4o", USAGE).orElseThrow();
        // 2.50 $/M * 1,000,001 ; 1.25 $/M * 2,000 ; 10 $/M * 333
        assertThat(cost.inputUncached()).isEqualByComparingTo("2.5000025");
        assertThat(cost.cacheRead()).isEqualByComparingTo("0.0025");
        assertThat(cost.cacheWrite()).isEqualByComparingTo("0");
        assertThat(cost.output()).isEqualByComparingTo("0.00333");
        assertThat(cost.total()).isEqualByComparingTo(new BigDecimal("2.5058325"));
        assertThat(cost.priceVersion()).isEqualTo("2026-11-01");
    }

    @Test
    void aBucketCostsWhatTheExactDivisionGivesToTheScale() {
        for (String price : new String[] { "0.15", "2.50", "10", "0.0375", "15.000", "1E+1", "0" }) {
            for (long tokens : new long[] { 0, 1, 7, 10, 333, 1_000, 999_999, 1_000_000, 1_000_001, 123_456_789 }) {
                BigDecimal perMillion = new BigDecimal(price);
                assertThat(PriceTable.times(tokens, perMillion)).as("%s $/M * %d", price, tokens)
                    .hasToString(perMillion.multiply(BigDecimal.valueOf(tokens))
                        .divide(BigDecimal.valueOf(1_000_000))
                        .toString());
            }
        }
    }

    @Test
    void datedAndPrefixedNamesMatchTheirBaseEntry() {
        assertThat(table.lookup("gpt-4o-2024-08-06").orElseThrow().model()).isEqualTo("gpt-4o");
        assertThat(table.lookup("gpt-4o-mini-2024-07-18").orElseThrow().model()).isEqualTo("gpt-4o-mini");
        assertThat(table.lookup("gpt-4-0613").orElseThrow().model()).isEqualTo("gpt-4");
        assertThat(table.lookup("claude-3-7-sonnet-20250219").orElseThrow().model()).isEqualTo("claude-3-7-sonnet");
        assertThat(table.lookup("openai/gpt-4.1-mini").orElseThrow().model()).isEqualTo("gpt-4.1-mini");
        assertThat(table.lookup("anthropic/claude-3.7-sonnet").orElseThrow().cacheWrite())
            .isEqualByComparingTo("3.75");
        assertThat(table.lookup("GPT-4o").orElseThrow().model()).isEqualTo("gpt-4o");
    }

    @Test
    void selfHostedOpenModelsAndTheBaselineAreFree() {
        for (String model : new String[] { "meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct",
                "mistralai/Mistral-7B-Instruct-v0.3", "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "llama3.1:8b",
                "qwen2.5:14b", "scripted-baseline" }) {
            assertThat(table.price(model, USAGE)).as(model).hasValueSatisfying(
                    cost -> assertThat(cost.total()).isEqualByComparingTo("0"));
        }
    }

    @Test
    void unknownModelsAreNotPricedAndWarnedOnce(CapturedOutput output) {
        assertThat(table.price("mystery-model-x", USAGE)).isEmpty();
        assertThat(table.price("mystery-model-x", USAGE)).isEmpty();
        assertThat(table.price("qwen-max", USAGE)).as("a paid API, not a self-hosted model").isEmpty();
        assertThat(output.getAll().split("No price for model 'mystery-model-x'", -1)).hasSize(2);
        assertThat(output.getAll()).contains("No price for model 'qwen-max'");
    }

    @Test
    void aUserFileOverridesAndAddsRowsWithItsVersion(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.csv");
        Files.writeString(file, """
                # version: acme-2026-12
                model,input_uncached,cache_read,cache_write,output
                gpt-4o,2.00,1.00,0,8.00
                my-azure-deployment,1,0.5,0,4
                qwen/*,0.10,0,0,0.20
                """);
        PriceTable overridden = new PriceTable(new PricingProperties(file.toString()));

        Cost gpt4o = overridden.price("gpt-4o-2024-11-20", new Usage(1_000_000, 0, 0, 1_000_000, 0, false))
            .orElseThrow();
        assertThat(gpt4o.total()).isEqualByComparingTo("10.00");
        assertThat(gpt4o.priceVersion()).isEqualTo("acme-2026-12");
        assertThat(overridden.price("my-azure-deployment", new Usage(2_000_000, 0, 0, 0, 0, false)).orElseThrow()
            .total()).isEqualByComparingTo("2");
        assertThat(overridden.lookup("Qwen/Qwen2.5-72B-Instruct").orElseThrow().version()).isEqualTo("acme-2026-12");
        Cost mini = overridden.price("gpt-4o-mini", USAGE).orElseThrow();
        assertThat(mini.priceVersion()).isEqualTo("2026-11-01");
    }

    @Test
    void aUserFileWithoutVersionIsVersionedByItsContent(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mine.csv");
        Files.writeString(file, "model,input_uncached,cache_read,cache_write,output\nlocal-model,1,0,0,1\n");
        PriceTable overridden = new PriceTable(new PricingProperties(file.toString()));
        assertThat(overridden.lookup("local-model").orElseThrow().version()).matches("mine\\.csv@[0-9a-f]{12}");
    }

    @Test
    void aBrokenUserFileFailsWithItsName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "# version: x\nmodel,input_uncached,cache_read,cache_write,output\ngpt-4o,two,0,0,1\n");
        assertThatThrownBy(() -> new PriceTable(new PricingProperties(file.toString())))
            .hasMessageContaining("bad.csv");
        assertThatThrownBy(() -> new PriceTable(new PricingProperties(dir.resolve("missing.csv").toString())))
            .hasMessageContaining("missing.csv");
    }
}
