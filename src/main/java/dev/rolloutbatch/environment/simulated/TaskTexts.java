package dev.rolloutbatch.environment.simulated;

import java.util.ArrayList;
import java.util.List;

import dev.rolloutbatch.catalog.Application;
import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.catalog.TaskType;
import dev.rolloutbatch.environment.ActionSpec;
import dev.rolloutbatch.environment.ActionSpec.Parameter;
import dev.rolloutbatch.environment.TaskBrief;

/** AIOpsLab's task descriptions, instructions and action documentation. */
final class TaskTexts {

    private TaskTexts() {
    }

    static TaskBrief brief(Problem problem, Application app) {
        return new TaskBrief(description(problem, app), instructions(problem.taskType()), actions(problem.taskType()));
    }

    private static String description(Problem problem, Application app) {
        String service = """
                The service you are working with today is described below:
                Service Name: %s
                Namespace: %s
                Description: %s
                Supported Operations:
                  - %s

                """.formatted(displayName(app.name()), app.namespace(), app.description(), operations(app.name()));
        String task = switch (problem.taskType()) {
            case DETECTION -> "You will begin by analyzing the service's state and telemetry, and then submit your solution:\n"
                    + "1. str: `Yes` or `No` to indicate whether there are anomalies detected";
            case LOCALIZATION -> "You are requested to identify the service(s) where the root cause of the fault lies.\n"
                    + "You will begin by analyzing the service's state and telemetry, and then submit one of two possible solutions:\n"
                    + "1. list[str]: list of faulty components (i.e., service names)\n2. list[]: an empty list if no faults were detected";
            case ANALYSIS -> """
                    Your task is to analyze the fault and identify its root cause.
                    You will begin by analyzing the service's state and telemetry, and then submit your solution:
                    1. dict: a dictionary with two keys: 'system_level' and 'fault_type'.
                      - system_level: the system level at which the fault occurred. Choose from: ['Hardware', 'Operating System', 'Virtualization', 'Application']
                      - fault_type: the type of fault that occurred. Choose from: ['Misconfiguration', 'Code Defect', 'Authentication Issue', 'Network/Storage Issue', 'Operation Error', 'Dependency Problem']""";
            case MITIGATION -> "There is an anomaly in the service. Your task is to mitigate it: restore the service to a healthy state.\n"
                    + "You will begin by analyzing the service's state and telemetry, then change the deployment as needed, and finally submit with no arguments once you are done.";
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

    private static String instructions(TaskType type) {
        String submit = switch (type) {
            case DETECTION -> "If you decide that there are anomalies, respond with:\n```\nsubmit(\"Yes\")\n```\n"
                    + "Or, if no anomalies are found, respond with:\n```\nsubmit(\"No\")\n```";
            case LOCALIZATION -> "Once you have identified the faulty service(s), respond with:\n```\nsubmit([\"service-name\"])\n```";
            case ANALYSIS -> "Once you know the root cause, respond with:\n```\nsubmit({\"system_level\": \"Application\", \"fault_type\": \"Misconfiguration\"})\n```";
            case MITIGATION -> "Once your mitigation is complete, respond with:\n```\nsubmit()\n```";
        };
        return """
                You will respond with one of the above APIs as your next action.
                Please respond in the following format in a markdown code block:
                ```
                <API_NAME>(<API_PARAM1>, <API_PARAM2> ...)
                ```

                For instance, if you want to list files in current directory, your response must be exactly:

                ```
                exec_shell("ls -l")
                ```

                %s

                Please respond with only a single API call (a.k.a., action) per turn without any additional words, labels, or prefixes.
                """.formatted(submit);
    }

    static List<ActionSpec> actions(TaskType type) {
        List<ActionSpec> actions = new ArrayList<>();
        actions.add(new ActionSpec("get_logs", "Collects relevant log data from a pod using Kubectl or from a container with Docker.\n\n"
                + "Args:\n    namespace (str): The namespace in which the service is running.\n    service (str): The name of the service.\n\n"
                + "Returns:\n    str | dict | list[dicts]: Log data as a structured object or a string.",
                List.of(new Parameter("namespace", "string", "The namespace in which the service is running.", true),
                        new Parameter("service", "string", "The name of the service.", true))));
        actions.add(new ActionSpec("get_metrics", "Collects metrics data from the service using Prometheus.\n\n"
                + "Args:\n    namespace (str): The namespace in which the service is running.\n"
                + "    duration (int): The number of minutes from now to start collecting metrics until now.\n\n"
                + "Returns:\n    str: Path to the file where the metrics are saved.",
                List.of(new Parameter("namespace", "string", "The namespace in which the service is running.", true),
                        new Parameter("duration", "integer", "The number of minutes from now to start collecting metrics until now.", true))));
        actions.add(new ActionSpec("read_metrics", "Reads and returns metrics from a specified CSV file.\n\n"
                + "Args:\n    file_path (str): Path to the metrics file (CSV format).\n\nReturns:\n    str: The requested metrics or an error message.",
                List.of(new Parameter("file_path", "string", "Path to the metrics file (CSV format).", true))));
        actions.add(new ActionSpec("get_traces", "Collects trace data from the service using Jaeger.\n\n"
                + "Args:\n    namespace (str): The namespace in which the service is running.\n"
                + "    duration (int): The number of minutes from now to start collecting traces until now.\n\n"
                + "Returns:\n    str: Path to the file where the traces are saved.",
                List.of(new Parameter("namespace", "string", "The namespace in which the service is running.", true),
                        new Parameter("duration", "integer", "The number of minutes from now to start collecting traces until now.", true))));
        actions.add(new ActionSpec("read_traces", "Reads and returns traces from a specified CSV file.\n\n"
                + "Args:\n    file_path (str): Path to the traces file (CSV format).\n\nReturns:\n    str: The requested traces or an error message.",
                List.of(new Parameter("file_path", "string", "Path to the traces file (CSV format).", true))));
        actions.add(new ActionSpec("exec_shell", "Execute any shell command in a predefined debugging environment.\n"
                + "Note: this is NOT A STATEFUL OR INTERACTIVE shell session. So you cannot execute commands like \"kubectl edit\".\n\n"
                + "Args:\n    command (str): The command to execute.\n\nReturns:\n    str: The output of the command.",
                List.of(new Parameter("command", "string", "The command to execute.", true))));
        actions.add(switch (type) {
            case DETECTION -> new ActionSpec("submit", "Submit if anomalies are detected to the orchestrator for evaluation.\n\n"
                    + "Args:\n    has_anomaly (str): \"Yes\" if anomalies are detected, \"No\" otherwise.\n\nReturns:\n    SubmissionStatus: The status of the submission.",
                    List.of(new Parameter("has_anomaly", "string", "\"Yes\" if anomalies are detected, \"No\" otherwise.", true)));
            case LOCALIZATION -> new ActionSpec("submit", "Submit the detected faulty components to the orchestrator for evaluation.\n\n"
                    + "Args:\n    faulty_components (list[str]): List of faulty components (i.e., service names).\n\nReturns:\n    SubmissionStatus: The status of the submission.",
                    List.of(new Parameter("faulty_components", "array", "List of faulty components (i.e., service names).", true)));
            case ANALYSIS -> new ActionSpec("submit", "Submit the analysis solution to the orchestrator for evaluation.\n\n"
                    + "Args:\n    analysis (dict): {\"system_level\": str, \"fault_type\": str}\n\nReturns:\n    SubmissionStatus: The status of the submission.",
                    List.of(new Parameter("analysis", "object", "A dict with keys system_level and fault_type.", true)));
            case MITIGATION -> new ActionSpec("submit", "Submit once the mitigation is complete; the orchestrator then checks the cluster's state.\n\n"
                    + "Returns:\n    SubmissionStatus: The status of the submission.", List.of());
        });
        return List.copyOf(actions);
    }
}
