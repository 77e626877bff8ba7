package dev.rolloutbatch.environment.simulated;

import org.junit.jupiter.api.Test;

import dev.rolloutbatch.agent.AgentAction;
import dev.rolloutbatch.agent.TextProtocol;
import dev.rolloutbatch.environment.EnvironmentSession;
import dev.rolloutbatch.environment.StepResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of assistant answers, each with the outcome AIOpsLab's orchestrator gives it (AIOpsLab:
 * aiopslab/orchestrator/parser.py {@code validate}, {@code extract_codeblock}, {@code parse_api_name},
 * {@code parse_args}; orchestrator.py {@code ask_env}), played through the agent-side text protocol and the twin.
 */
class AiopslabProtocolTests {

    private static final String NS = "test-hotel-reservation";

    /** What one assistant turn leads to. */
    private enum Outcome { FORMAT_ERROR, PARSE_ERROR, UNKNOWN_ACTION, SIGNATURE_ERROR, OBSERVED, SUBMITTED }

    private record Played(Outcome outcome, String observation) {
    }

    private static Played play(EnvironmentSession session, String answer) {
        AgentAction action = TextProtocol.extract(answer);
        if (!action.isValid()) {
            return new Played(Outcome.FORMAT_ERROR, action.error());
        }
        StepResult result = session.step(action.action());
        String text = result.observation();
        Outcome outcome = result.done() ? Outcome.SUBMITTED
                : text.startsWith("Error parsing your action") ? Outcome.PARSE_ERROR
                : text.contains("is not an action of this task") ? Outcome.UNKNOWN_ACTION
                : text.startsWith("Error: submit() takes") ? Outcome.SIGNATURE_ERROR
                : Outcome.OBSERVED;
        return new Played(outcome, text);
    }

    private static Outcome outcome(String problemId, String answer) {
        try (EnvironmentSession session = SimTestSupport.start(problemId, 2)) {
            return play(session, answer).outcome();
        }
    }

    private static Outcome localization(String answer) {
        return outcome("pod_kill_hotel_res-localization-1", answer);
    }

    @Test
    void fences() {
        // one block, no language tag: read
        assertThat(localization("```\nexec_shell(\"kubectl get pods -n " + NS + "\")\n```")).isEqualTo(Outcome.OBSERVED);
        // words before and after the block are allowed (extract_context keeps them aside)
        assertThat(localization("The user pods look odd.\n```\nget_logs(\"" + NS + "\", \"user\")\n```\nLet us see."))
            .isEqualTo(Outcome.OBSERVED);
        // whitespace after the opening fence still matches ```\s*\n
        assertThat(localization("```   \nexec_shell(\"kubectl get pods -n " + NS + "\")\n```")).isEqualTo(Outcome.OBSERVED);
        // no block at all, or an unclosed one: validate finds no match
        assertThat(localization("exec_shell(\"kubectl get pods -n " + NS + "\")")).isEqualTo(Outcome.FORMAT_ERROR);
        assertThat(localization("```\nexec_shell(\"kubectl get pods -n " + NS + "\")")).isEqualTo(Outcome.FORMAT_ERROR);
        // the closing fence must start its own line (\n```)
        assertThat(localization("```\nsubmit([\"user\"])```")).isEqualTo(Outcome.FORMAT_ERROR);
    }

    @Test
    void twoBlocksAreRejected() {
        // validate: re.findall must find exactly one block
        assertThat(localization("```\nget_logs(\"" + NS + "\", \"user\")\n```\nand then\n```\nsubmit([\"user\"])\n```"))
            .isEqualTo(Outcome.FORMAT_ERROR);
    }

    @Test
    void aLanguageTagIsRejected() {
        // ```python\n does not match ```\s*\n
        assertThat(localization("```python\nsubmit([\"user\"])\n```")).isEqualTo(Outcome.FORMAT_ERROR);
        assertThat(localization("```bash\nexec_shell(\"kubectl get pods -n " + NS + "\")\n```")).isEqualTo(Outcome.FORMAT_ERROR);
    }

    @Test
    void trailingTextAfterTheCallIsIgnoredUnlessItHoldsAParenthesis() {
        // parse_args reads from the first '(' to the last ')'
        assertThat(localization("```\nsubmit([\"user\"])  # the user service\n```")).isEqualTo(Outcome.SUBMITTED);
        assertThat(localization("```\nget_logs(\"" + NS + "\", \"user\") (the user service)\n```"))
            .isEqualTo(Outcome.PARSE_ERROR);
        // words before the call become part of the API name
        assertThat(localization("```\nI run exec_shell(\"kubectl get pods -n " + NS + "\")\n```"))
            .isEqualTo(Outcome.UNKNOWN_ACTION);
    }

    @Test
    void keywordArguments() {
        // ast keywords are passed on to the action
        try (EnvironmentSession session = SimTestSupport.start("pod_kill_hotel_res-localization-1", 2)) {
            Played logs = play(session, "```\nget_logs(namespace=\"" + NS + "\", service=\"user\")\n```");
            assertThat(logs.outcome()).isEqualTo(Outcome.OBSERVED);
            assertThat(logs.observation()).doesNotStartWith("Error");
        }
        // exec_shell's own rule strips a leading command=
        assertThat(localization("```\nexec_shell(command=\"kubectl get pods -n " + NS + "\")\n```")).isEqualTo(Outcome.OBSERVED);
        // ... and wants nothing but one quoted string
        assertThat(localization("```\nexec_shell(\"kubectl get pods -n " + NS + "\", timeout=10)\n```"))
            .isEqualTo(Outcome.PARSE_ERROR);
        // submit binds its one parameter by name too (the answer itself is then dropped: AiopslabGradingTests)
        assertThat(localization("```\nsubmit(faulty_components=[\"user\"])\n```")).isEqualTo(Outcome.SUBMITTED);
        assertThat(localization("```\nsubmit(services=[\"user\"])\n```")).isEqualTo(Outcome.SIGNATURE_ERROR);
    }

    @Test
    void unknownActions() {
        // perform_action: getattr finds nothing, InvalidActionError
        try (EnvironmentSession session = SimTestSupport.start("pod_kill_hotel_res-localization-1", 2)) {
            Played played = play(session, "```\nrestart_cluster()\n```");
            assertThat(played.outcome()).isEqualTo(Outcome.UNKNOWN_ACTION);
            assertThat(played.observation()).contains("restart_cluster");
        }
    }

    @Test
    void malformedLiterals() {
        // no closing parenthesis: "No API call found"
        assertThat(localization("```\nsubmit([\"user\"]\n```")).isEqualTo(Outcome.PARSE_ERROR);
        // a bare name is no literal (ast.Name other than True/False/None)
        assertThat(localization("```\nsubmit([user])\n```")).isEqualTo(Outcome.PARSE_ERROR);
        // an unterminated string is a SyntaxError
        assertThat(localization("```\nsubmit([\"user])\n```")).isEqualTo(Outcome.PARSE_ERROR);
        // an empty block has no call
        assertThat(localization("```\n\n```")).isEqualTo(Outcome.PARSE_ERROR);
    }

    @Test
    void submitArity() {
        // actions/localization.py submit(faulty_components): none or two arguments raise TypeError, the episode goes on
        assertThat(localization("```\nsubmit()\n```")).isEqualTo(Outcome.SIGNATURE_ERROR);
        assertThat(localization("```\nsubmit([\"user\"], [\"geo\"])\n```")).isEqualTo(Outcome.SIGNATURE_ERROR);
        // actions/mitigation.py submit(): any argument raises TypeError, the episode goes on
        assertThat(outcome("scale_pod_zero_social_net-mitigation-1", "```\nsubmit(\"fixed\")\n```"))
            .isEqualTo(Outcome.SIGNATURE_ERROR);
        assertThat(outcome("scale_pod_zero_social_net-mitigation-1", "```\nsubmit()\n```")).isEqualTo(Outcome.SUBMITTED);
    }

    @Test
    void shellCommandsKeepTheirBackslashesAndOnlyQuotesAreUnescaped() {
        // parse_args for exec_shell: strip the quotes, then replace \" and \' only
        try (EnvironmentSession session = SimTestSupport.start("pod_kill_hotel_res-localization-1", 2)) {
            String command = "kubectl get pods -o jsonpath=\"{.items[0].metadata.name}\" -n " + NS;
            String answer = "```\n" + TextProtocol.shellCall(command) + "\n```";
            assertThat(answer).contains("jsonpath=\\\"{");
            Played played = play(session, answer);
            assertThat(played.outcome()).isEqualTo(Outcome.OBSERVED);
            assertThat(played.observation()).matches("[a-z0-9-]+-[a-z0-9]+-[a-z0-9]+");
        }
    }

    @Test
    void aToolCallReachesTheShellWithItsCommandUnchanged() {
        // the tool protocol renders exec_shell for AIOpsLab's shell rule, so quotes survive the environment's parser
        String command = "kubectl get pods -o jsonpath=\"{.items[0].metadata.name}\" -n " + NS;
        String arguments = "{\"command\": " + tools.jackson.databind.json.JsonMapper.builder().build()
            .writeValueAsString(command) + "}";
        var call = dev.rolloutbatch.agent.ToolProtocol.extract(dev.rolloutbatch.conversation.ChatMessage.assistant(null,
                java.util.List.of(new dev.rolloutbatch.conversation.ToolCall("c1", "exec_shell", arguments))),
                TaskTexts.actions(dev.rolloutbatch.catalog.TaskType.LOCALIZATION)).getFirst();
        try (EnvironmentSession session = SimTestSupport.start("pod_kill_hotel_res-localization-1", 2)) {
            assertThat(session.step(call.action()).observation()).matches("[a-z0-9-]+-[a-z0-9]+-[a-z0-9]+");
        }
    }

    @Test
    void theFormatErrorExampleWorksInTheTwin() {
        String example = TextProtocol.extract(TextProtocolExample.formatErrorExample()).action();
        try (EnvironmentSession session = SimTestSupport.start("pod_kill_hotel_res-localization-1", 2)) {
            assertThat(session.step(example).observation()).contains("NAME").doesNotStartWith("Error");
        }
    }

    /** The example answer inside the protocol's own format error, which must itself be well-formed. */
    private static final class TextProtocolExample {
        static String formatErrorExample() {
            String error = TextProtocol.extract("no block here").error();
            return error.substring(error.indexOf("For example:") + "For example:".length());
        }
    }
}
