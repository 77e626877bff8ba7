package dev.rolloutbatch.agent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AIOpsLab's text protocol, read the way its orchestrator reads it (AIOpsLab: aiopslab/orchestrator/parser.py):
 * the answer must hold exactly one fenced block whose opening fence has nothing after it but whitespace
 * ({@code validate}: {@code ```\s*\n(.*?)\n```} must match exactly once), and the action is the text between the
 * first two lines that contain a fence ({@code extract_codeblock}). Words before or after the block are allowed.
 * The environment then reads the call out of the block (name before the first {@code (}, arguments up to the last
 * {@code )}).
 */
public final class TextProtocol {

    /** What AIOpsLab's orchestrator appends to every observation (orchestrator.py {@code start_problem}). */
    public static final String NEXT_ACTION = "Now take your next action.";

    static final String FORMAT_ERROR = """
            Error: your answer could not be read. It must contain exactly one code block: one pair of triple \
            backticks, with nothing but the line break after the opening ones. For example:

            Listing the services first.
            ```
            exec_shell("kubectl get services --all-namespaces")
            ```""";

    private static final Pattern ONE_BLOCK = Pattern.compile("```\\s*\\n(.*?)\\n```",
            Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS);

    private TextProtocol() {
    }

    public static AgentAction extract(String content) {
        if (content == null || blocks(content) != 1) {
            return AgentAction.invalid(FORMAT_ERROR, null);
        }
        String[] lines = content.split("\n", -1);
        List<Integer> fences = new ArrayList<>();
        for (int i = 0; i < lines.length && fences.size() < 2; i++) {
            if (lines[i].contains("```")) {
                fences.add(i);
            }
        }
        return AgentAction.call(String.join("\n", Arrays.copyOfRange(lines, fences.get(0) + 1, fences.get(1))), null);
    }

    /**
     * The {@code exec_shell} call that runs {@code command} under AIOpsLab's reading of shell calls
     * (parser.py {@code parse_args}): one double-quoted string in which only {@code \"} and {@code \'} are
     * unescaped, so quotes get a backslash and nothing else is escaped. (A command that starts or ends with a
     * double quote cannot be written at all: AIOpsLab strips every quote at both ends.)
     */
    public static String shellCall(String command) {
        return "exec_shell(\"" + command.replace("\"", "\\\"").replace("'", "\\'") + "\")";
    }

    /** An environment's answer as the agent sees it: followed by the request for the next action. */
    public static String observation(String answer) {
        return answer + "\n" + NEXT_ACTION;
    }

    private static int blocks(String content) {
        Matcher matcher = ONE_BLOCK.matcher(content);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
