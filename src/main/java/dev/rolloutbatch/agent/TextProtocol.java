package dev.rolloutbatch.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * AIOpsLab's text protocol: the answer holds one API call inside a fenced code block. Like AIOpsLab's
 * {@code ResponseParser.extract_codeblock}, the block is the text between the first two lines containing
 * a fence.
 */
public final class TextProtocol {

    static final String NO_CODE_BLOCK = "Error parsing response: no API call found. Answer with exactly one API"
            + " call inside one markdown code block, for example:\n```\nexec_shell(\"kubectl get pods -n <namespace>\")\n```";

    private TextProtocol() {
    }

    public static AgentAction extract(String content) {
        if (content == null) {
            return AgentAction.invalid(NO_CODE_BLOCK, null);
        }
        String[] lines = content.split("\n", -1);
        List<Integer> fences = new ArrayList<>();
        for (int i = 0; i < lines.length && fences.size() < 2; i++) {
            if (lines[i].contains("```")) {
                fences.add(i);
            }
        }
        if (fences.size() < 2) {
            return AgentAction.invalid(NO_CODE_BLOCK, null);
        }
        String block = String.join("\n", java.util.Arrays.copyOfRange(lines, fences.get(0) + 1, fences.get(1))).strip();
        if (block.isEmpty() || block.indexOf('(') < 0) {
            return AgentAction.invalid(NO_CODE_BLOCK, null);
        }
        return AgentAction.call(block, null);
    }
}
