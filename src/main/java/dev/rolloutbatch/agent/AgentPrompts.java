package dev.rolloutbatch.agent;

import java.util.List;
import java.util.Set;

import dev.rolloutbatch.catalog.Problem;
import dev.rolloutbatch.conversation.ChatMessage;
import dev.rolloutbatch.environment.ActionSpec;
import dev.rolloutbatch.environment.TaskBrief;

/**
 * The opening messages of an episode, built from the environment's {@link TaskBrief} with the structure AIOpsLab's
 * agents use (AIOpsLab: clients/utils/templates.py, clients/gpt.py): the system message holds the task description
 * and the documentation of the telemetry APIs, the shell API and the submit API; the user message holds the task's
 * instructions and, as AIOpsLab's orchestrator sends before the first turn, the request for the next action. With
 * the text protocol the agent is reminded to answer with exactly one API call inside one code block; with the tool
 * protocol, to call exactly one tool per turn. The wording is the project's own.
 */
public final class AgentPrompts {

    private static final Set<String> SHELL = Set.of("exec_shell");
    private static final Set<String> SUBMIT = Set.of("submit");

    /** Most episodes of a run open with one of a few briefs: their messages are built once and shared. */
    private static final BoundedCache<Opening, List<ChatMessage>> OPENINGS = new BoundedCache<>(256);

    private record Opening(TaskBrief brief, Protocol protocol) {
    }

    private AgentPrompts() {
    }

    public static List<ChatMessage> initialMessages(Problem problem, TaskBrief brief, Protocol protocol) {
        return OPENINGS.get(new Opening(brief, protocol), opening -> build(brief, protocol));
    }

    private static List<ChatMessage> build(TaskBrief brief, Protocol protocol) {
        StringBuilder system = new StringBuilder(brief.taskDescription().strip()).append("\n\n");
        List<ActionSpec> telemetry = brief.actions().stream()
            .filter(a -> !SHELL.contains(a.name()) && !SUBMIT.contains(a.name())).toList();
        List<ActionSpec> shell = brief.actions().stream().filter(a -> SHELL.contains(a.name())).toList();
        List<ActionSpec> submit = brief.actions().stream().filter(a -> SUBMIT.contains(a.name())).toList();
        if (!telemetry.isEmpty()) {
            system.append("These APIs let you look into the service:\n\n");
            telemetry.forEach(a -> system.append(doc(a)));
        }
        if (!shell.isEmpty()) {
            system.append("This API gives you a secure terminal on the service, where you can run commands:\n\n");
            shell.forEach(a -> system.append(doc(a)));
        }
        if (!submit.isEmpty()) {
            system.append("You finish the task by submitting your solution with this API:\n\n");
            submit.forEach(a -> system.append(doc(a)));
        }
        system.append("Each turn, think the problem through step by step, then answer with your action.");
        String user = brief.instructions().strip();
        if (protocol == Protocol.TOOLS) {
            system.append(" Take each action by calling exactly one of the provided tools.");
            user = user + "\n\nIn this conversation the APIs are offered as tools: instead of writing the API call in a "
                    + "code block, call exactly one tool per turn with the same arguments.";
        }
        else {
            user = user + "\n\nRemember: answer with a short thought, then exactly one API call inside one markdown "
                    + "code block (``` with no language tag).";
        }
        user = user + "\n\n" + TextProtocol.NEXT_ACTION;
        return List.of(ChatMessage.system(system.toString()), ChatMessage.user(user));
    }

    private static String doc(ActionSpec action) {
        String signature = action.name() + "(" + String.join(", ", action.parameters().stream()
            .map(p -> p.name() + (p.type() == null || p.type().isEmpty() ? "" : ": " + pythonType(p.type()))).toList()) + ")";
        String description = action.description().strip().replace("\n", "\n    ");
        return signature + ":\n    \"\"\"\n    " + description + "\n    \"\"\"\n\n";
    }

    private static String pythonType(String jsonType) {
        return switch (jsonType) {
            case "string" -> "str";
            case "integer" -> "int";
            case "number" -> "float";
            case "array" -> "list";
            case "object" -> "dict";
            case "boolean" -> "bool";
            default -> jsonType;
        };
    }
}
