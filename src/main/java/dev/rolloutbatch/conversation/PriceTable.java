package dev.rolloutbatch.conversation;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/** The versioned price table shipped as {@code classpath:pricing/prices.csv}. */
@Component
public class PriceTable implements Pricing {

    private static final Logger log = LoggerFactory.getLogger(PriceTable.class);

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    static final String VERSION = "2026-11-01";

    private final Map<String, Price> prices;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public PriceTable() {
        this.prices = load();
    }

    @Override
    public Optional<Cost> price(String model, Usage usage) {
        Price price = prices.get(model);
        if (price == null) {
            if (warned.add(model)) {
                log.warn("No price for model '{}': its cost is recorded as NULL", model);
            }
            return Optional.empty();
        }
        return Optional.of(new Cost(times(usage.inputUncached(), price.inputUncached()),
                times(usage.cacheRead(), price.cacheRead()), times(usage.cacheWrite(), price.cacheWrite()),
                times(usage.output(), price.output()), VERSION));
    }

    private static BigDecimal times(long tokens, BigDecimal perMillion) {
        return perMillion.multiply(BigDecimal.valueOf(tokens)).divide(MILLION, MathContext.DECIMAL64);
    }

    private static Map<String, Price> load() {
        try (Reader reader = new InputStreamReader(new ClassPathResource("pricing/prices.csv").getInputStream(),
                StandardCharsets.UTF_8)) {
            Map<String, Price> byModel = new LinkedHashMap<>();
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader()
                .setSkipHeaderRecord(true).get().parse(reader)) {
                byModel.put(row.get("model"), new Price(new BigDecimal(row.get("input_uncached")),
                        new BigDecimal(row.get("cache_read")), new BigDecimal(row.get("cache_write")),
                        new BigDecimal(row.get("output"))));
            }
            return byModel;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read the price table", ex);
        }
    }

    private record Price(BigDecimal inputUncached, BigDecimal cacheRead, BigDecimal cacheWrite, BigDecimal output) {
    }
}
