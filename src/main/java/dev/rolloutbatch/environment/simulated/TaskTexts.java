package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;

import dev.rolloutbatch.catalog.Application;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.TaskType;
import dev.rolloutbatch.environment.ActionSpec;
import dev.rolloutbatch.environment.ActionSpec.Parameter;
import dev.rolloutbatch.environment.TaskBrief;

/**
 * The task description, instructions and action documentation an agent gets, in the project's own words with
 * the substance of AIOpsLab's (AIOpsLab: aiopslab/orchestrator/tasks/{detection,localization,analysis,mitigation}.py
 * for the texts, aiopslab/orchestrator/actions/*.py for the actions): what to answer for each task, the no-fault
 * answers, one call per turn in one fenced block. Every example call works in the twin, and no example is a real
 * answer.
 */
final class TaskTexts {

    private TaskTexts() {
    }

    static TaskBrief brief(Problem problem, Application app) {
        return new TaskBrief(description(problem, app), instructions(problem), actions(problem.taskType()));
    }

    private static String description(Problem problem, Application app) {
        String service = """
                You are the DevOps engineer on call for the deployed service described here.

                Service: %s
                Namespace: %s
                About it: %s
                What its users can do:
                  - %s

                """.formatted(displayName(app.name()), app.namespace(), app.description(), operations(app.name()));
        String task = switch (problem.taskType()) {
            case DETECTION -> """
                    Your job is to find out whether the service is behaving anomalously. Study its state and telemetry \
                    first, then give your answer:
                    1. str: "Yes" if you detected an anomaly, "No" if you did not""";
            case LOCALIZATION -> """
                    Your job is to find the service or services where the root cause of the fault lies. Study the \
                    service's state and telemetry first, then give one of two answers:
                    1. list[str]: the faulty components (their service names)
                    2. list[]: an empty list if you found no fault""";
            case ANALYSIS -> """
                    Your job is to find the root cause of the fault. Study the service's state and telemetry first, \
                    then give one of two answers:
                    1. dict[str, str]: a dictionary with the keys 'system_level' and 'fault_type'.
                        - system_level: the layer the fault sits in, one of:
                            - 'Hardware'
                            - 'Operating System'
                            - 'Virtualization'
                            - 'Application'
                        - fault_type: the kind of fault, one of:
                            - 'Misconfiguration'
                            - 'Code Defect'
                            - 'Authentication Issue'
                            - 'Network/Storage Issue'
                            - 'Operation Error'
                            - 'Dependency Problem'
                    2. str: `None` if you found no fault""";
            case MITIGATION -> """
                    Your job is to mitigate whatever anomalies you find in the service. Study its state and telemetry \
                    first, then carry out a mitigation with any of the APIs available to you and submit it.""";
        };
        return service + task;
    }

    private static String displayName(String name) {
        return switch (name) {
            case "SocialNetwork" -> "Social Network";
            case "HotelReservation" -> "Hotel Reservation";
            case "AstronomyShop" -> "OpenTelemetry Demo Astronomy Shop";
            case "Flower" -> "Flower federated learning";
            default -> name;
        };
    }

    private static String operations(String name) {
        return switch (name) {
            case "SocialNetwork" -> "Create text post (optional media: image, video, shortened URL, user tag)\n  - Read post\n"
                    + "  - Read entire user timeline\n  - Receive recommendations on which users to follow\n  - Search database for user or post\n"
                    + "  - Register/Login using user credentials\n  - Follow/Unfollow user";
            case "HotelReservation" -> "Get profile and rates of nearby hotels available during given time periods\n"
                    + "  - Recommend hotels based on user provided metrics\n  - Place reservations";
            case "AstronomyShop" -> "Add item to cart\n  - View product catalog\n  - Checkout with selected items\n"
                    + "  - Get shipping quotes\n  - Receive product recommendations\n  - Process payment\n  - Register/Login using user credentials";
            default -> "Federated training rounds between a superlink and its supernodes";
        };
    }

    private static String instructions(Problem problem) {
        String submit = switch (problem.taskType()) {
            case DETECTION -> """
                    If you conclude that there are no anomalies, answer:

                    ```
                    submit("No")
                    ```

                    If you found anomalies, answer:

                    ```
                    submit("Yes")
                    ```""";
            case LOCALIZATION -> """
                    To submit faulty components, answer in this form:

                    ```
                    submit(["<first-component>", "<second-component>"])
                    ```

                    (the names in angle brackets stand for the faulty components you found; list as many as there are)

                    If you found no fault, answer:

                    ```
                    submit([])
                    ```""";
            case ANALYSIS -> """
                    To submit your analysis, answer in this form:

                    ```
                    submit({"system_level": "<system level>", "fault_type": "<fault type>"})
                    ```

                    with the two placeholders replaced by the system level and the fault type you found.

                    If you found no fault, answer:

                    ```
                    submit()
                    ```""";
            case MITIGATION -> """
                    When your mitigation is finished and ready to be evaluated, answer:

                    ```
                    submit()
                    ```

                    Notes:
                    - For this task submit() takes no arguments.
                    - A submission is accepted whenever it is made; that alone does not mean the mitigation worked.""";
        };
        return """
                Answer each turn with one of the APIs above, written as a call inside a markdown code block:
                ```
                <API_NAME>(<API_PARAM1>, <API_PARAM2> ...)
                ```

                For example, to %s, your answer would be exactly:

                ```
                %s
                ```

                %s

                Write one API call (one action) per turn and nothing else: no extra words, labels or prefixes.
                """.formatted(exampleGoal(problem), exampleCall(problem), submit);
    }

    /** The example action: one the twin answers (AIOpsLab's own example, "ls -l", lists a directory). */
    private static String exampleCall(Problem problem) {
        return "docker".equals(problem.deployment()) ? "exec_shell(\"docker ps\")"
                : "exec_shell(\"kubectl get pods -n " + problem.namespace() + "\")";
    }

    private static String exampleGoal(Problem problem) {
        return "docker".equals(problem.deployment()) ? "list the service's containers" : "list the service's pods";
    }

    static List<ActionSpec> actions(TaskType type) {
        Parameter namespace = new Parameter("namespace", "string", "The namespace the service runs in.", true);
        List<ActionSpec> actions = new ArrayList<>();
        actions.add(new ActionSpec("get_logs", """
                Fetches a service's logs: from its pod with kubectl, or from its container with Docker.

                Args:
                    namespace (str): The namespace the service runs in.
                    service (str): The service's name.

                Returns:
                    str | dict | list[dicts]: The logs, as text or as structured data.""",
                List.of(namespace, new Parameter("service", "string", "The service's name.", true))));
        actions.add(new ActionSpec("get_metrics", """
                Exports the service's metrics from Prometheus.

                Args:
                    namespace (str): The namespace the service runs in.
                    duration (int): How many minutes back from now to collect.

                Returns:
                    str: Where the exported metrics were saved.""",
                List.of(namespace, new Parameter("duration", "integer", "How many minutes back from now to collect.", true))));
        actions.add(new ActionSpec("read_metrics", """
                Reads a metrics file (CSV) and returns what it holds.

                Args:
                    file_path (str): The path of the metrics file.

                Returns:
                    str: The metrics, or an error message.""",
                List.of(new Parameter("file_path", "string", "The path of the metrics file (CSV).", true))));
        actions.add(new ActionSpec("get_traces", """
                Exports the service's traces from Jaeger.

                Args:
                    namespace (str): The namespace the service runs in.
                    duration (int): How many minutes back from now to collect.

                Returns:
                    str: Where the exported traces were saved.""",
                List.of(namespace, new Parameter("duration", "integer", "How many minutes back from now to collect.", true))));
        actions.add(new ActionSpec("read_traces", """
                Reads a traces file (CSV) and returns what it holds.

                Args:
                    file_path (str): The path of the traces file.

                Returns:
                    str: The traces, or an error message.""",
                List.of(new Parameter("file_path", "string", "The path of the traces file (CSV).", true))));
        actions.add(new ActionSpec("exec_shell", """
                Runs a shell command in a debugging environment prepared for this task.
                The shell keeps no state between calls and is not interactive, so commands such as "kubectl edit" \
                do not work.

                Args:
                    command (str): The command to run.

                Returns:
                    str: What the command printed.""",
                List.of(new Parameter("command", "string", "The command to run.", true))));
        actions.add(switch (type) {
            case DETECTION -> new ActionSpec("submit", """
                    Sends your detection answer to the orchestrator for evaluation.

                    Args:
                        has_anomaly (str): "Yes" if you detected anomalies, otherwise "No".

                    Returns:
                        SubmissionStatus: Whether the submission was accepted.""",
                    List.of(new Parameter("has_anomaly", "string", "\"Yes\" if you detected anomalies, otherwise \"No\".", true)));
            case LOCALIZATION -> new ActionSpec("submit", """
                    Sends the components you found faulty to the orchestrator for evaluation.

                    Args:
                        faulty_components (list[str]): The faulty components (service names).

                    Returns:
                        SubmissionStatus: Whether the submission was accepted.""",
                    List.of(new Parameter("faulty_components", "array", "The faulty components (service names).", true)));
            case ANALYSIS -> new ActionSpec("submit", """
                    Sends your root-cause analysis to the orchestrator for evaluation.

                    Args:
                        analysis (dict[str, str]): A dictionary with the keys 'system_level' and 'fault_type'.

                    Returns:
                        SubmissionStatus: Whether the submission was accepted.""",
                    List.of(new Parameter("analysis", "object", "A dictionary with the keys system_level and fault_type.", true)));
            case MITIGATION -> new ActionSpec("submit", """
                    Tells the orchestrator that your mitigation is finished, so that it can be evaluated.

                    Args:
                        None

                    Returns:
                        SubmissionStatus: Whether the submission was accepted.""", List.of());
        });
        return List.copyOf(actions);
    }
}
