package dev.rolloutbatch.environment;

/** One started problem instance. Not shared between threads. */
public interface EnvironmentSession extends AutoCloseable {

    /** The task description, instructions and actions shown to the agent. */
    TaskBrief brief();

    /**
     * Performs one action, written as one API call in Python syntax, e.g. {@code get_logs("ns", "svc")} or
     * {@code submit(["user-service"])}. A malformed or unknown call is not an exception: the observation says
     * what is wrong, as AIOpsLab does.
     */
    StepResult step(String action);

    /** Grades the episode; call after a submit (or when the step budget is spent). */
    Evaluation evaluate();

    @Override
    void close();
}
