package dev.rolloutbatch.environment;

import java.util.List;

/**
 * One action of the agent-cloud interface, described so that it can be shown in a prompt (text protocol) or
 * offered as an OpenAI function tool (tool protocol).
 *
 * @param parameters in call order: a tool call's named JSON arguments become positional Python arguments
 */
public record ActionSpec(String name, String description, List<Parameter> parameters) {

    /**
     * @param type a JSON-schema type: {@code string}, {@code integer}, {@code number}, {@code array},
     *             {@code object}, or empty for "any"
     */
    public record Parameter(String name, String type, String description, boolean required) {
    }
}
