package dev.rolloutbatch.launch;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code --help} and {@code --version}: answered before Spring starts, so they run no job and touch no database.
 */
public final class HelpAndVersion {

    static final String USAGE = """
            Usage: java -jar rollout-batch.jar [--spring.batch.job.name=collect|export] [key=value ...]

              collect (default)  runs agent episodes on a problem list and logs every conversation
                  problems=jobs/smoke.csv  runDate=YYYY-MM-DD (today, UTC)  samples=1  concurrency=16
                  maxSteps=20  timeout=1800  policy=scripted|openai  environment=simulated|http
                  model=...  temperature=  topP=  maxTokens=  seed=0  protocol=text|tools  logprobs=false
                  budgetUsd=...
              export             writes Parquet datasets from the logged conversations
                  runDate=YYYY-MM-DD  format=trajectories|sft|verl  output=datasets

              --spring.profiles.active=postgres   use PostgreSQL (SPRING_DATASOURCE_URL, ...)
              --spring.profiles.active=serve      the HTTP API instead of a job

            The paid openai policy runs only when asked for (policy=openai, or rollout.policy /
            rollout.openai.base-url in the configuration); its key comes from OPENAI_API_KEY only.

            Exit codes: 0 completed, 1 failed (run the same command again to resume), 2 invalid input,
                        3 this night already completed, 4 running in another process.
              --help     this text
              --version  the version
            Manual: README.md""";

    private HelpAndVersion() {
    }

    /**
     * Prints the usage or the version when the arguments ask for it.
     *
     * @return true when it did: the caller then exits 0 without starting anything
     */
    public static boolean printIfAsked(String[] arguments, PrintStream out) {
        List<String> args = List.of(arguments);
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return true;
        }
        if (args.contains("--version")) {
            out.println("rollout-batch " + version());
            return true;
        }
        return false;
    }

    /** The jar manifest's Implementation-Version (set by the build); a class-path run has none. */
    static String version() {
        String version = HelpAndVersion.class.getPackage().getImplementationVersion();
        return version != null ? version : "(development build, not packaged)";
    }
}
