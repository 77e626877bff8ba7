package dev.rolloutbatch.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.rolloutbatch.RolloutBatchApplication;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture;
import dev.rolloutbatch.agent.openai.OpenAiProtocolFixture.Reply;
import dev.rolloutbatch.collect.RunInvariants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as a user runs it, on the embedded H2 default: the exit code, the message, and what ends up
 * in the database.
 */
@ExtendWith(OutputCaptureExtension.class)
class CommandLineIntegrationTests {

    @TempDir
    Path dir;

    @Test
    void withNoArgumentsItRunsTheSmokeListOfflineOnH2AndRefusesToRunTheSameNightTwice(CapturedOutput output)
            throws Exception {
        assertThat(run()).isEqualTo(ExitCodes.COMPLETED);
        assertThat(output).contains("The collect job completed").contains("Run 1 report:");
        int smoke = (int) Files.readAllLines(Path.of("jobs/smoke.csv")).stream().skip(1).filter(l -> !l.isBlank()).count();
        assertThat(count("episode")).isEqualTo(smoke);
        assertThat(count("conversation")).isEqualTo(smoke);
        assertThat(count("message")).isGreaterThan(smoke * 3);
        try (Connection connection = connect()) {
            RunInvariants.assertFinishedExactlyOnce(
                    new org.springframework.jdbc.core.JdbcTemplate(
                            new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true)),
                    1L);
        }

        assertThat(run()).isEqualTo(ExitCodes.ALREADY_COMPLETE);
        assertThat(output).contains("already completed");
        assertThat(count("episode")).isEqualTo(smoke);
    }

    @Test
    void anExecutionLeftUnknownByAFailedDatabaseIsResumedByTheSameCommand(CapturedOutput output) throws Exception {
        assertThat(run("runDate=2026-11-02")).isEqualTo(ExitCodes.COMPLETED);
        try (Connection connection = connect()) {
            connection.createStatement().executeUpdate("UPDATE batch_job_execution SET status = 'UNKNOWN'");
            connection.createStatement().executeUpdate(
                    "UPDATE batch_step_execution SET status = 'UNKNOWN' WHERE step_name = 'execute'");
            connection.createStatement().executeUpdate(
                    "UPDATE episode SET status = 'running' WHERE id = (SELECT MIN(id) FROM episode)");
        }

        assertThat(run("runDate=2026-11-02")).isEqualTo(ExitCodes.COMPLETED);
        assertThat(output).contains("ended in an unknown state").contains("marking it failed to resume it");
        assertThat(count("batch_job_execution")).isEqualTo(2);
        assertThat(count("conversation")).as("the interrupted episode ran again").isEqualTo(count("episode") + 1);
        try (Connection connection = connect()) {
            RunInvariants.assertFinishedExactlyOnce(
                    new org.springframework.jdbc.core.JdbcTemplate(
                            new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true)),
                    1L);
        }
    }

    @Test
    void aFailedExecutionWhoseStepNeverRecordedItsEndIsResumedByTheSameCommand(CapturedOutput output) throws Exception {
        assertThat(run("runDate=2026-11-03")).isEqualTo(ExitCodes.COMPLETED);
        try (Connection connection = connect()) {
            connection.createStatement().executeUpdate("UPDATE batch_job_execution SET status = 'FAILED'");
            connection.createStatement().executeUpdate(
                    "UPDATE batch_step_execution SET status = 'STARTED', end_time = NULL WHERE step_name = 'execute'");
        }

        assertThat(run("runDate=2026-11-03")).isEqualTo(ExitCodes.COMPLETED);
        assertThat(output).contains("marking it failed to resume it");
        assertThat(count("batch_job_execution")).isEqualTo(2);
    }

    @Test
    void aMissingProblemListIsRefusedWithItsNameAndNothingIsWritten(CapturedOutput output) throws Exception {
        assertThat(run("problems=jobs/does-not-exist.csv")).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(output).contains("problem list jobs/does-not-exist.csv does not exist");
        assertNothingWritten();
    }

    @Test
    void unknownProblemsAndBadParametersAreAllNamedAndNothingIsWritten(CapturedOutput output) throws Exception {
        Path list = dir.resolve("bad.csv");
        Files.writeString(list, "problem_id\nk8s_target_port-misconfig-detection-1\nmade_up_problem-9\n");
        assertThat(run("problems=" + list, "samples=0")).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(output).contains("samples: must be between 1 and 1000 (was 0)");
        assertNothingWritten();

        assertThat(run("problems=" + list)).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(output).contains("line 3: unknown problem id 'made_up_problem-9'");
        assertNothingWritten();
    }

    @Test
    void anUnknownJobPolicyOrDateIsRefused(CapturedOutput output) throws Exception {
        assertThat(run("--spring.batch.job.name=colect")).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(output).contains("Unknown job 'colect'");
        assertThat(run("policy=gpt")).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(output).contains("unknown policy 'gpt'");
        assertThat(run("runDate=yesterday")).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(output).contains("runDate: 'yesterday' is not a date");
        assertThat(run("runDate=2026-02-30,java.time.LocalDate")).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(output).contains("runDate: cannot read");
        assertNothingWritten();
    }

    @Test
    void anUnreachableLlmEndpointIsRefusedBeforeAnythingIsWritten(CapturedOutput output) throws Exception {
        assertThat(run("policy=openai", "model=gpt-4o", "--rollout.openai.base-url=http://127.0.0.1:9/v1"))
            .isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(output).contains("the OpenAI-compatible endpoint http://127.0.0.1:9/v1 cannot be reached");
        assertNothingWritten();
    }

    @Test
    void threeSpellingsOfOneProblemListAreOneNightAndTheListIsKeptOnTheRun(CapturedOutput output) throws Exception {
        assertThat(run("problems=jobs/smoke.csv", "runDate=2026-11-04")).isEqualTo(ExitCodes.COMPLETED);
        assertThat(run("problems=./jobs/smoke.csv", "runDate=2026-11-04")).isEqualTo(ExitCodes.ALREADY_COMPLETE);
        assertThat(run("problems=" + Path.of("jobs/smoke.csv").toAbsolutePath(), "runDate=2026-11-04"))
            .isEqualTo(ExitCodes.ALREADY_COMPLETE);
        // The same problems saved elsewhere, with a comment and CRLF line ends, are the same night too.
        Path copy = Files.writeString(dir.resolve("copy.csv"), "# tonight\r\n"
                + Files.readString(Path.of("jobs/smoke.csv")).replace("\n", "\r\n"));
        assertThat(run("problems=" + copy, "runDate=2026-11-04")).isEqualTo(ExitCodes.ALREADY_COMPLETE);

        assertThat(count("run")).isOne();
        assertThat(count("batch_job_instance")).isOne();
        try (Connection connection = connect(); ResultSet rs = connection.createStatement()
            .executeQuery("SELECT problems_content, problems_sha256 FROM run")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(Files.readString(Path.of("jobs/smoke.csv")));
            assertThat(rs.getString(2)).hasSize(64);
        }

        Path other = Files.writeString(dir.resolve("other.csv"), "problem_id\nk8s_target_port-misconfig-detection-1\n");
        assertThat(run("problems=" + other, "runDate=2026-11-04")).as("another list is another night")
            .isEqualTo(ExitCodes.COMPLETED);
        assertThat(count("run")).isEqualTo(2);
    }

    @Test
    void helpAndVersionPrintAndExitWithoutStartingAJobOrTouchingTheDatabase(CapturedOutput output) {
        RolloutBatchApplication.main(new String[] { "--help", "--spring.datasource.url=" + url() });
        assertThat(output).contains("Usage: java -jar rollout-batch.jar").contains("Exit codes: 0 completed");
        RolloutBatchApplication.main(new String[] { "--version", "--spring.datasource.url=" + url() });
        assertThat(output).contains("rollout-batch ");
        assertThat(output).doesNotContain("Started RolloutBatchApplication").doesNotContain("collect job");
        assertThat(dir.resolve("db.mv.db")).as("no database was opened").doesNotExist();
    }

    @Test
    void aRevokedKeyFailsTheNightWithOneLineAndTheSameCommandResumesItOnceFixed(CapturedOutput output)
            throws Exception {
        try (OpenAiProtocolFixture llm = OpenAiProtocolFixture.start()) {
            llm.fallback(Reply.status(401, "{\"error\":{\"message\":\"Incorrect API key provided\","
                    + "\"code\":\"invalid_api_key\"}}"));
            Path list = Files.writeString(dir.resolve("two.csv"),
                    "problem_id\nk8s_target_port-misconfig-detection-1\nrevoke_auth_mongodb-detection-1\n");
            // No policy=openai: an endpoint set in the configuration asks for the openai policy.
            String[] night = { "problems=" + list, "runDate=2026-11-05", "model=gpt-4o",
                    "--rollout.openai.base-url=" + llm.baseUrl(), "--rollout.openai.max-attempts=1" };

            assertThat(run(night)).isEqualTo(ExitCodes.FAILED);
            assertThat(output).containsPattern("Run 1 infrastructure failed: 2 episodes failed for infrastructure"
                    + " reasons \\(infrastructure:auth 2;[^\\n]*HTTP 401[^\\n]*the same command runs exactly these episodes again");
            assertThat(llm.requestCount()).isEqualTo(2);
            assertThat(output).containsPattern("The collect job ended FAILED \\(INFRASTRUCTURE_FAILED\\): 2 episodes"
                    + " failed for infrastructure reasons [^\\n]*episodes again\\. Run the same command again to resume it\\.");

            llm.fallback(Reply.content("```\nsubmit(\"Yes\")\n```"));
            assertThat(run(night)).isEqualTo(ExitCodes.COMPLETED);
            assertThat(llm.requestCount()).isEqualTo(4);
            assertThat(count("episode")).isEqualTo(2);
            assertThat(count("conversation")).as("the failed attempts are kept").isEqualTo(4);
        }
    }

    @Test
    void aBudgetForAModelWithoutAPriceIsRefusedBecauseItCouldNotBeKept(CapturedOutput output) throws Exception {
        assertThat(run("policy=openai", "model=my-private-model", "budgetUsd=5",
                "--rollout.openai.base-url=http://127.0.0.1:9/v1")).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(output).contains("budgetUsd: the model 'my-private-model' has no price in the price table");
        assertNothingWritten();
    }

    @Test
    void anUnreachableDatabaseStopsTheApplicationWithItsAddress() {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> SpringApplication.run(
                RolloutBatchApplication.class, "--rollout.launcher.enabled=true",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/rollouts",
                "--spring.datasource.hikari.connection-timeout=2000"));
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("Connection to 127.0.0.1:1 refused"));
    }

    private int run(String... arguments) {
        List<String> args = new ArrayList<>(List.of("--rollout.launcher.enabled=true",
                "--spring.datasource.url=" + url(), "--rollout.collect.progress-interval=1s"));
        args.addAll(List.of(arguments));
        ConfigurableApplicationContext context = SpringApplication.run(RolloutBatchApplication.class,
                args.toArray(String[]::new));
        return SpringApplication.exit(context);
    }

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(url(), "sa", "");
    }

    private int count(String table) throws Exception {
        try (Connection connection = connect(); ResultSet rs = connection.createStatement()
            .executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void assertNothingWritten() throws Exception {
        for (String table : List.of("batch_job_instance", "batch_job_execution", "run", "episode", "conversation",
                "message", "llm_call")) {
            assertThat(count(table)).as(table).isZero();
        }
    }
}
