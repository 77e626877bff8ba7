package dev.rolloutbatch.collect;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import dev.rolloutbatch.catalog.ProblemCatalog;

/**
 * Reads and validates a problem list: a CSV file with a {@code problem_id} column and optional per-row
 * {@code samples} and {@code max_steps}. Every bad line is reported at once, by line number.
 */
final class ProblemList {

    static final long MAX_BYTES = 5 * 1024 * 1024;
    static final int MAX_SAMPLES = 1000;
    static final int MAX_STEPS = 1000;

    private ProblemList() {
    }

    /**
     * A list's text and the identity of what it lists: the SHA-256 of its rows in a canonical form (problem id,
     * samples, max steps; sorted; no comments, blank lines, spacing or line endings), so that one list given as
     * {@code jobs/smoke.csv}, {@code ./jobs/smoke.csv} or an absolute path, or re-saved with CRLF, is one night.
     */
    record Content(String text, String sha256) {
    }

    /** @throws InvalidProblemListException when the file cannot be read as UTF-8 text */
    static Content content(Path path) {
        String text = readText(path);
        List<String> rows = new ArrayList<>();
        try (Reader reader = new java.io.StringReader(text)) {
            for (CSVRecord row : format().parse(reader)) {
                rows.add(cell(row, "problem_id") + "," + cell(row, "samples") + "," + cell(row, "max_steps"));
            }
        }
        catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException ex) {
            // Not a CSV: read() will say why; the identity falls back to the bytes.
            rows = List.of(text);
        }
        java.util.Collections.sort(rows);
        return new Content(text, sha256(String.join("\n", rows)));
    }

    private static String cell(CSVRecord row, String column) {
        return row.isMapped(column) && row.isSet(column) ? row.get(column) : "";
    }

    private static String sha256(String canonical) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static CSVFormat format() {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
            .setTrim(true).setCommentMarker('#').get();
    }

    static List<ProblemListEntry> read(Path path, ProblemCatalog catalog, Set<String> served, String environment) {
        return read(path, content(path).text(), catalog, served, environment);
    }

    static List<ProblemListEntry> read(Path path, String text, ProblemCatalog catalog, Set<String> served,
            String environment) {
        List<String> errors = new ArrayList<>();
        List<ProblemListEntry> entries = new ArrayList<>();
        try (Reader reader = new java.io.StringReader(text)) {
            var parser = format().parse(reader);
            List<String> header = parser.getHeaderNames();
            if (!header.contains("problem_id")) {
                throw new InvalidProblemListException(path + ": the header must name a problem_id column (found: "
                        + (header.isEmpty() ? "nothing" : String.join(",", header)) + ")");
            }
            for (String column : header) {
                if (!Set.of("problem_id", "samples", "max_steps").contains(column)) {
                    errors.add("unknown column '" + column + "' (known: problem_id, samples, max_steps)");
                }
            }
            Map<String, Long> seen = new HashMap<>();
            for (CSVRecord row : parser) {
                long line = parser.getCurrentLineNumber();
                String id = row.isMapped("problem_id") && row.isSet("problem_id") ? row.get("problem_id") : "";
                if (id.isEmpty()) {
                    errors.add("line " + line + ": empty problem_id");
                    continue;
                }
                if (catalog.find(id).isEmpty()) {
                    errors.add("line " + line + ": unknown problem id '" + id + "'");
                }
                else if (!served.contains(id)) {
                    errors.add("line " + line + ": problem '" + id + "' is not served by the " + environment
                            + " environment");
                }
                Long first = seen.putIfAbsent(id, line);
                if (first != null) {
                    errors.add("line " + line + ": duplicate problem id '" + id + "' (first on line " + first + ")");
                }
                Integer samples = number(row, "samples", MAX_SAMPLES, line, errors);
                Integer maxSteps = number(row, "max_steps", MAX_STEPS, line, errors);
                entries.add(new ProblemListEntry(id, samples, maxSteps, line));
            }
        }
        catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException ex) {
            if (ex instanceof InvalidProblemListException invalid) {
                throw invalid;
            }
            throw new InvalidProblemListException(path + ": not a valid CSV problem list: " + ex.getMessage());
        }
        if (errors.isEmpty() && entries.isEmpty()) {
            errors.add("no problems listed");
        }
        if (!errors.isEmpty()) {
            throw new InvalidProblemListException(path + ": " + errors.size() + " error(s): " + String.join("; ",
                    errors.subList(0, Math.min(errors.size(), 50)))
                    + (errors.size() > 50 ? "; ... and " + (errors.size() - 50) + " more" : ""));
        }
        return entries;
    }

    private static @Nullable Integer number(CSVRecord row, String column, int max, long line, List<String> errors) {
        if (!row.isMapped(column) || !row.isSet(column) || row.get(column).isEmpty()) {
            return null;
        }
        String value = row.get(column);
        try {
            int number = Integer.parseInt(value);
            if (number < 1 || number > max) {
                errors.add("line " + line + ": " + column + " must be between 1 and " + max + " (was " + value + ")");
                return null;
            }
            return number;
        }
        catch (NumberFormatException ex) {
            errors.add("line " + line + ": " + column + " must be a whole number (was '" + value + "')");
            return null;
        }
    }

    private static String readText(Path path) {
        if (!Files.exists(path)) {
            throw new InvalidProblemListException("problem list " + path + " does not exist");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new InvalidProblemListException("problem list " + path + " is not a readable file");
        }
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new InvalidProblemListException("problem list " + path + " is " + size
                        + " bytes; the limit is " + MAX_BYTES);
            }
            byte[] bytes = Files.readAllBytes(path);
            for (byte b : bytes) {
                if (b == 0) {
                    throw new InvalidProblemListException("problem list " + path + " is a binary file, not a CSV");
                }
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (CharacterCodingException ex) {
            throw new InvalidProblemListException("problem list " + path + " is not UTF-8 text");
        }
        catch (IOException ex) {
            throw new InvalidProblemListException("problem list " + path + " cannot be read: " + ex.getMessage());
        }
    }
}
