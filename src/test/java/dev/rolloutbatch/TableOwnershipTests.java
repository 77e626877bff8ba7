package dev.rolloutbatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Each of the project's tables has one owning module (top-level package under {@code dev.rolloutbatch}), the only
 * code that writes it. Reads the SQL out of the string literals and text blocks of {@code src/main/java}
 * ({@code INSERT INTO t}, {@code UPDATE t [alias] SET}, {@code DELETE FROM t}, {@code MERGE INTO t},
 * {@code TRUNCATE [TABLE] t}) and checks who writes what. SQL assembled from pieces at run time
 * ({@code "UPDATE " + table}) is not seen.
 */
class TableOwnershipTests {

    private static final Path MAIN_SOURCES = Path.of("src/main/java");

    private static final Path MIGRATIONS = Path.of("src/main/resources/db");

    private static final Path ROOT_PACKAGE = MAIN_SOURCES.resolve("dev/rolloutbatch");

    /** Table → the module that owns it (the target design, issue 14). */
    private static final Map<String, String> OWNER = Map.of(
            "run", "collect",
            "episode", "episode",
            "conversation", "conversation",
            "message", "conversation",
            "llm_call", "conversation");

    /**
     * (table, module) pairs where main still writes a table from a module that does not own it. Each is to move to
     * the owner (issue 14); when it has, delete its entry here (the test then insists). A pair not listed here fails
     * the test; a further write of a listed pair does not.
     */
    private static final Set<Write> KNOWN_VIOLATIONS = Set.of();

    private static final Pattern CREATE_TABLE = Pattern.compile(
            "create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?(?:\\w+\\.)?(\\w+)", Pattern.CASE_INSENSITIVE);

    private static final Pattern WRITE = Pattern.compile("\\b(?:insert\\s+into|delete\\s+from|merge\\s+into"
            + "|truncate(?:\\s+table)?|update)\\s+(?:\\w+\\.)?(\\w+)(\\s+(?:\\w+\\s+)?set\\b)?",
            Pattern.CASE_INSENSITIVE);

    record Write(String table, String module) {
    }

    record SqlWrite(String table, String module, Path file, int line) {

        Write write() {
            return new Write(table, module);
        }

        @Override
        public String toString() {
            return table + " written by " + module + " at " + file + ":" + line;
        }
    }

    @Test
    void everyTableOfTheMigrationsHasOneOwner() {
        assertThat(OWNER.keySet()).as("tables created by src/main/resources/db migrations; give a new one an owner "
                + "in TableOwnershipTests.OWNER").containsExactlyInAnyOrderElementsOf(migrationTables());
    }

    @Test
    void eachTableIsWrittenOnlyByItsOwningModule() {
        List<SqlWrite> foreign = mainWrites().stream()
                .filter(w -> !w.module().equals(OWNER.get(w.table())))
                .filter(w -> !KNOWN_VIOLATIONS.contains(w.write()))
                .toList();
        assertThat(foreign).as("writes outside the owning module (move them behind the owner: " + OWNER + ")")
                .isEmpty();
    }

    @Test
    void knownViolationsAreStillThere() {
        Set<Write> current = mainWrites().stream().map(SqlWrite::write).collect(Collectors.toSet());
        assertThat(KNOWN_VIOLATIONS).as("known violations that main no longer has: delete them from "
                + "TableOwnershipTests.KNOWN_VIOLATIONS").allMatch(current::contains);
    }

    @Test
    void readsWritesFromStringsAndTextBlocksButNotFromCommentsOrProse() {
        String source = """
                class Sample {
                    // INSERT INTO run (id) VALUES (1)
                    /* DELETE FROM message */
                    String a = "insert into MongoDB failed: update episode before you go";
                    String b = \"""
                            UPDATE Episode e SET status = 'pending'
                            \""";
                    char q = '"';
                    String c = "DELETE FROM public.message WHERE \\"x\\" = 1";
                    String d = "TRUNCATE TABLE llm_call";
                }
                """;
        List<String> found = writes(source, OWNER.keySet()).stream()
                .map(w -> w.table() + "@" + w.line()).toList();
        assertThat(found).containsExactly("episode@6", "message@9", "llm_call@10");
    }

    @Test
    void theScanSeesTheWritesMainIsKnownFor() {
        // Guards the scan itself: if it found nothing, the ownership test above would pass vacuously.
        assertThat(mainWrites()).extracting(SqlWrite::write)
                .contains(new Write("run", "collect"), new Write("message", "conversation"),
                        new Write("llm_call", "conversation"), new Write("episode", "episode"));
    }

    private static List<SqlWrite> mainWrites() {
        List<SqlWrite> all = new ArrayList<>();
        for (Path file : files(MAIN_SOURCES, ".java")) {
            String module = moduleOf(file);
            for (TableLine write : writes(read(file), OWNER.keySet())) {
                all.add(new SqlWrite(write.table(), module, file, write.line()));
            }
        }
        return all;
    }

    private static String moduleOf(Path file) {
        Path relative = ROOT_PACKAGE.relativize(file);
        return relative.getNameCount() > 1 ? relative.getName(0).toString() : "(root)";
    }

    private static Set<String> migrationTables() {
        Set<String> tables = new TreeSet<>();
        for (Path file : files(MIGRATIONS, ".sql")) {
            Matcher m = CREATE_TABLE.matcher(read(file));
            while (m.find()) {
                tables.add(m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return tables;
    }

    record TableLine(String table, int line) {
    }

    /** The writes to {@code tables} in the string literals of one Java source, with the line they start on. */
    static List<TableLine> writes(String javaSource, Set<String> tables) {
        List<TableLine> found = new ArrayList<>();
        for (Literal literal : literals(javaSource)) {
            Matcher m = WRITE.matcher(literal.text());
            while (m.find()) {
                String table = m.group(1).toLowerCase(Locale.ROOT);
                boolean update = m.group().regionMatches(true, 0, "update", 0, 6);
                if (tables.contains(table) && (!update || m.group(2) != null)) {
                    found.add(new TableLine(table, literal.line() + newlines(literal.text(), m.start())));
                }
            }
        }
        return found;
    }

    record Literal(String text, int line) {
    }

    /** String literals and text blocks of a Java source, outside comments and char literals. */
    static List<Literal> literals(String s) {
        List<Literal> literals = new ArrayList<>();
        int line = 1;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                i = s.indexOf('\n', i);
                if (i < 0) {
                    break;
                }
            }
            else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                line += newlines(s.substring(i, end), end - i);
                i = end;
            }
            else if (s.startsWith("\"\"\"", i)) {
                int end = closing(s, i + 3, "\"\"\"");
                literals.add(new Literal(s.substring(i + 3, end), line));
                line += newlines(s.substring(i, end), end - i);
                i = Math.min(end + 3, s.length());
            }
            else if (c == '"' || c == '\'') {
                int end = closing(s, i + 1, String.valueOf(c));
                if (c == '"') {
                    literals.add(new Literal(s.substring(i + 1, end), line));
                }
                i = Math.min(end + 1, s.length());
            }
            else {
                if (c == '\n') {
                    line++;
                }
                i++;
            }
        }
        return literals;
    }

    /** Where the literal that started before {@code from} closes, skipping escaped characters. */
    private static int closing(String s, int from, String quote) {
        int i = from;
        while (i < s.length() && !s.startsWith(quote, i)) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, s.length());
    }

    private static int newlines(String text, int upTo) {
        int count = 0;
        for (int i = 0; i < upTo && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        return count;
    }

    private static List<Path> files(Path root, String suffix) {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
