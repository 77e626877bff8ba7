package dev.rolloutbatch.conversation;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The versioned price table: {@code classpath:pricing/prices.csv}, overridden row by row by the user's file
 * ({@code rollout.pricing.file}, same format). Prices are USD per million tokens per usage bucket; costs are exact
 * {@link BigDecimal}s. Every cost names the version of the table its row came from (a file's
 * {@code # version: ...} header comment, or a hash of the user file when it has none).
 * <p>
 * A name matches an exact row (case-insensitive) first, then its base name without a date suffix
 * ({@code gpt-4o-2024-08-06}, {@code claude-3-7-sonnet-20250219}, {@code gpt-4-0613}) and without an
 * {@code openai/} gateway prefix, then a glob row ({@code meta-llama/*}). Unknown models are not priced (cost
 * NULL), with one warning per model for the life of this table (one process, one run).
 */
@Component
public class PriceTable implements Pricing {

    private static final Logger log = LoggerFactory.getLogger(PriceTable.class);

    private static final Pattern VERSION = Pattern.compile("(?im)^\\s*version\\s*:\\s*(\\S+)\\s*$");

    /** -2024-08-06, -20250219, -0613 (OpenAI's and Anthropic's snapshot suffixes). */
    private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{4})$");

    private final Map<String, Price> exact = new LinkedHashMap<>();
    private final List<Price> globs = new ArrayList<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** Every call of a run names the same model or two: resolve each name once. */
    private final Map<String, Optional<Price>> resolved = new ConcurrentHashMap<>();

    @Autowired
    public PriceTable(PricingProperties properties) {
        List<Price> shipped = readShipped();
        List<Price> user = properties == null || properties.file() == null || properties.file().isBlank() ? List.of()
                : readFile(Path.of(properties.file()));
        // User rows first among globs, so that they win; for exact names a later put replaces.
        for (Price price : user) {
            add(price);
        }
        for (Price price : shipped) {
            if (price.isGlob() || !exact.containsKey(price.model())) {
                add(price);
            }
        }
    }

    /** The shipped table only. */
    public PriceTable() {
        this(null);
    }

    @Override
    public Optional<Cost> price(String model, Usage usage) {
        Optional<Price> price = lookup(model);
        if (price.isEmpty()) {
            if (warned.add(String.valueOf(model))) {
                log.warn("No price for model '{}': its cost is recorded as NULL (add it to a rollout.pricing.file)",
                        model);
            }
            return Optional.empty();
        }
        Price p = price.get();
        return Optional.of(new Cost(times(usage.inputUncached(), p.inputUncached()),
                times(usage.cacheRead(), p.cacheRead()), times(usage.cacheWrite(), p.cacheWrite()),
                times(usage.output(), p.output()), p.version()));
    }

    /** The row that prices this model, if any. */
    public Optional<Price> lookup(String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        return resolved.computeIfAbsent(model, this::resolve);
    }

    private Optional<Price> resolve(String model) {
        String name = model.strip().toLowerCase(Locale.ROOT);
        for (String candidate : candidates(name)) {
            Price price = exact.get(candidate);
            if (price != null) {
                return Optional.of(price);
            }
        }
        for (String candidate : candidates(name)) {
            for (Price glob : globs) {
                if (glob.matches(candidate)) {
                    return Optional.of(glob);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> candidates(String name) {
        List<String> names = new ArrayList<>(List.of(name));
        String undated = DATE_SUFFIX.matcher(name).replaceFirst("");
        names.add(undated);
        if (name.startsWith("openai/")) {
            names.add(name.substring("openai/".length()));
            names.add(undated.substring("openai/".length()));
        }
        return names.stream().distinct().toList();
    }

    /**
     * Exactly {@code tokens * perMillion / 10^6}, with the scale {@link BigDecimal#divide(BigDecimal)} gives it (the
     * product's, or the least that holds the quotient): moving the decimal point costs a fraction of the division.
     */
    static BigDecimal times(long tokens, BigDecimal perMillion) {
        BigDecimal product = perMillion.multiply(BigDecimal.valueOf(tokens));
        if (product.signum() == 0) {
            return product;
        }
        BigDecimal moved = product.movePointLeft(6);
        BigDecimal least = moved.stripTrailingZeros();
        return least.scale() < product.scale() ? moved.setScale(product.scale()) : least;
    }

    private void add(Price price) {
        if (price.isGlob()) {
            globs.add(price);
        }
        else {
            exact.put(price.model(), price);
        }
    }

    private static List<Price> readShipped() {
        try (InputStream in = new ClassPathResource("pricing/prices.csv").getInputStream()) {
            return parse(in.readAllBytes(), "classpath:pricing/prices.csv", null);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read the price table", ex);
        }
    }

    private static List<Price> readFile(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String fallbackVersion = file.getFileName() + "@" + sha256(bytes).substring(0, 12);
            List<Price> prices = parse(bytes, file.toString(), fallbackVersion);
            log.info("Price overrides from {}: {} rows, version {}", file, prices.size(),
                    prices.isEmpty() ? fallbackVersion : prices.getFirst().version());
            return prices;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read the price file " + file + " (rollout.pricing.file)", ex);
        }
    }

    private static final List<String> REQUIRED_COLUMNS = List.of("model", "input_uncached", "cache_read",
            "cache_write", "output");

    static List<Price> parse(byte[] bytes, String source, String fallbackVersion) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        try (Reader reader = new InputStreamReader(new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8);
                CSVParser parser = format.parse(reader)) {
            String version = fallbackVersion;
            if (parser.hasHeaderComment()) {
                Matcher matcher = VERSION.matcher(parser.getHeaderComment());
                if (matcher.find()) {
                    version = matcher.group(1);
                }
            }
            if (version == null) {
                throw new IllegalStateException(source + " has no '# version: ...' header comment");
            }
            List<String> missing = REQUIRED_COLUMNS.stream().filter(c -> !parser.getHeaderNames().contains(c)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException(source + " has no column " + String.join(", ", missing) + " (its header"
                        + " must name " + String.join(",", REQUIRED_COLUMNS) + ")");
            }
            List<Price> prices = new ArrayList<>();
            for (CSVRecord row : parser) {
                try {
                    prices.add(new Price(row.get("model").toLowerCase(Locale.ROOT), money(row, "input_uncached"),
                            money(row, "cache_read"), money(row, "cache_write"), money(row, "output"), version));
                }
                catch (IllegalArgumentException ex) {
                    throw new IllegalStateException(source + " line " + parser.getCurrentLineNumber() + ": "
                            + ex.getMessage(), ex);
                }
            }
            return prices;
        }
    }

    private static BigDecimal money(CSVRecord row, String column) {
        String value = row.get(column);
        BigDecimal price = new BigDecimal(value.isBlank() ? "0" : value);
        if (price.signum() < 0) {
            throw new IllegalArgumentException(column + " must not be negative");
        }
        return price;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** One row: USD per million tokens per bucket, and the table version it came from. */
    public record Price(String model, BigDecimal inputUncached, BigDecimal cacheRead, BigDecimal cacheWrite,
            BigDecimal output, String version) {

        boolean isGlob() {
            return model.indexOf('*') >= 0;
        }

        boolean matches(String name) {
            return isGlob() && name.matches(Pattern.quote(model).replace("*", "\\E.*\\Q"));
        }
    }
}
