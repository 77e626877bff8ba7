package dev.rolloutbatch.collect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.ProblemCatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProblemListTests {

    private static final ProblemCatalog CATALOG = new ProblemCatalog();

    private static final Set<String> ALL = CATALOG.problems().stream().map(Problem::id).collect(Collectors.toSet());

    @TempDir
    Path dir;

    @Test
    void theShippedListsNameOnlyCatalogProblemsAndTheNightlyListNamesThemAll() {
        assertThat(CATALOG.problems()).hasSize(89);
        List<ProblemListEntry> nightly = ProblemList.read(Path.of("jobs/nightly.csv"), CATALOG, ALL, "simulated");
        assertThat(nightly).extracting(ProblemListEntry::problemId).containsExactlyInAnyOrderElementsOf(ALL);
        List<ProblemListEntry> smoke = ProblemList.read(Path.of("jobs/smoke.csv"), CATALOG, ALL, "simulated");
        assertThat(smoke.stream().map(e -> CATALOG.get(e.problemId()).taskType()).distinct()).hasSize(4);
    }

    @Test
    void aListIsIdentifiedByWhatItListsNotByItsSpellingOnDisk() throws Exception {
        String smoke = ProblemList.content(Path.of("jobs/smoke.csv")).sha256();
        assertThat(ProblemList.content(Path.of("./jobs/smoke.csv")).sha256()).isEqualTo(smoke);
        assertThat(ProblemList.content(Path.of("jobs/smoke.csv").toAbsolutePath()).sha256()).isEqualTo(smoke);

        String a = ProblemList.content(write("problem_id,samples\nk8s_target_port-misconfig-detection-1,4\n"
                + "noop_detection_social_network-1,\n")).sha256();
        String reordered = ProblemList.content(write("# tonight\r\nproblem_id , samples\r\n\r\n"
                + "noop_detection_social_network-1 ,\r\n k8s_target_port-misconfig-detection-1,4\r\n")).sha256();
        String moreSamples = ProblemList.content(write("problem_id,samples\nk8s_target_port-misconfig-detection-1,8\n"
                + "noop_detection_social_network-1,\n")).sha256();
        assertThat(reordered).isEqualTo(a);
        assertThat(moreSamples).isNotEqualTo(a);
        assertThat(a).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void readsOptionalPerRowSamplesAndMaxSteps() throws Exception {
        Path list = write("problem_id,samples,max_steps\n"
                + "k8s_target_port-misconfig-detection-1,4,\n"
                + "\n"
                + "# a comment\n"
                + "noop_detection_social_network-1,,7\n");
        List<ProblemListEntry> entries = ProblemList.read(list, CATALOG, ALL, "simulated");
        assertThat(entries).extracting(ProblemListEntry::problemId, ProblemListEntry::samples,
                ProblemListEntry::maxSteps)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("k8s_target_port-misconfig-detection-1", 4, null),
                    org.assertj.core.groups.Tuple.tuple("noop_detection_social_network-1", null, 7));
    }

    @Test
    void reportsEveryBadLineAtOnceByNumber() throws Exception {
        Path list = write("problem_id,samples,max_steps\n"
                + "k8s_target_port-misconfig-detection-1,2,\n"
                + "no_such_problem-1,,\n"
                + "k8s_target_port-misconfig-detection-1,,\n"
                + "noop_detection_social_network-1,abc,\n"
                + "noop_detection_hotel_reservation-1,0,\n"
                + "noop_detection_astronomy_shop-1,,100000\n");
        assertThatThrownBy(() -> ProblemList.read(list, CATALOG, ALL, "simulated"))
            .isInstanceOf(InvalidProblemListException.class)
            .hasMessageContaining("5 error(s)")
            .hasMessageContaining("line 3: unknown problem id 'no_such_problem-1'")
            .hasMessageContaining("line 4: duplicate problem id 'k8s_target_port-misconfig-detection-1' (first on line 2)")
            .hasMessageContaining("line 5: samples must be a whole number (was 'abc')")
            .hasMessageContaining("line 6: samples must be between 1 and 1000 (was 0)")
            .hasMessageContaining("line 7: max_steps must be between 1 and 1000 (was 100000)");
    }

    @Test
    void refusesProblemsTheEnvironmentDoesNotServe() throws Exception {
        Path list = write("problem_id\nk8s_target_port-misconfig-detection-1\n");
        assertThatThrownBy(() -> ProblemList.read(list, CATALOG, Set.of(), "http"))
            .hasMessageContaining("line 2: problem 'k8s_target_port-misconfig-detection-1' is not served by the http environment");
    }

    @Test
    void refusesMissingEmptyHeaderlessBinaryAndHugeFiles() throws Exception {
        assertThatThrownBy(() -> ProblemList.read(dir.resolve("nope.csv"), CATALOG, ALL, "simulated"))
            .hasMessageContaining("nope.csv does not exist");
        assertThatThrownBy(() -> ProblemList.read(write(""), CATALOG, ALL, "simulated"))
            .hasMessageContaining("must name a problem_id column");
        assertThatThrownBy(() -> ProblemList.read(write("problem_id\n"), CATALOG, ALL, "simulated"))
            .hasMessageContaining("no problems listed");
        assertThatThrownBy(() -> ProblemList.read(write("id,samples\nx,1\n"), CATALOG, ALL, "simulated"))
            .hasMessageContaining("must name a problem_id column (found: id,samples)");
        Path binary = dir.resolve("binary.csv");
        Files.write(binary, new byte[] { 'p', 0, 1, 2, (byte) 0xff });
        assertThatThrownBy(() -> ProblemList.read(binary, CATALOG, ALL, "simulated"))
            .hasMessageContaining("is a binary file");
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, new byte[] { 'p', 'r', (byte) 0xe9, '\n' });
        assertThatThrownBy(() -> ProblemList.read(latin1, CATALOG, ALL, "simulated"))
            .hasMessageContaining("is not UTF-8 text");
        Path huge = dir.resolve("huge.csv");
        Files.write(huge, new byte[(int) ProblemList.MAX_BYTES + 1]);
        assertThatThrownBy(() -> ProblemList.read(huge, CATALOG, ALL, "simulated"))
            .hasMessageContaining("the limit is " + ProblemList.MAX_BYTES);
        assertThatThrownBy(() -> ProblemList.read(dir, CATALOG, ALL, "simulated"))
            .hasMessageContaining("is not a readable file");
    }

    @Test
    void refusesUnknownColumns() throws Exception {
        assertThatThrownBy(() -> ProblemList.read(write("problem_id,sample\nnoop_detection_social_network-1,2\n"),
                CATALOG, ALL, "simulated"))
            .hasMessageContaining("unknown column 'sample' (known: problem_id, samples, max_steps)");
    }

    private Path write(String content) throws Exception {
        Path file = Files.createTempFile(dir, "list", ".csv");
        Files.writeString(file, content);
        return file;
    }
}
