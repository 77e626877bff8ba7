package dev.rolloutbatch.environment.simulated;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PyCallParserTests {

    @Test
    void parsesPositionalStringsWithBothQuoteKindsAndEscapes() throws Exception {
        PyCall call = PyCallParser.parse("get_logs(\"test-social-network\", 'user-service')");
        assertThat(call.name()).isEqualTo("get_logs");
        assertThat(call.args()).containsExactly("test-social-network", "user-service");
        assertThat(PyCallParser.parse("exec_shell(\"echo \\\"hi\\\"\\n\\tit's\")").args())
            .containsExactly("echo \"hi\"\n\tit's");
        assertThat(PyCallParser.parse("exec_shell('it\\'s' \"joined\")").args()).containsExactly("it'sjoined");
    }

    @Test
    void parsesNumbersBooleansNoneListsDictsAndKeywords() throws Exception {
        PyCall call = PyCallParser.parse("f(1, -2.5, True, False, None, [\"a\", 'b'], {\"k\": [1, {\"x\": 1e3}]}, (1,), d=5)");
        assertThat(call.args()).containsExactly(1L, -2.5, true, false, null, List.of("a", "b"),
                Map.of("k", List.of(1L, Map.of("x", 1000.0))), List.of(1L));
        assertThat(call.kwargs()).containsEntry("d", 5L);
        assertThat(call.arg(8, "d")).isEqualTo(5L);
        assertThat(call.arg(7, "d")).isEqualTo(List.of(1L));
        PyCall submit = PyCallParser.parse("submit({\"system_level\": \"Application\", \"fault_type\": \"Misconfiguration\",})");
        assertThat(submit.args().getFirst()).isEqualTo(Map.of("system_level", "Application", "fault_type", "Misconfiguration"));
        assertThat(PyCallParser.parse("submit()").arity()).isZero();
        assertThat(PyCallParser.parse("  get_metrics ( namespace = 'ns' , duration=10 )  ").kwargs())
            .containsEntry("namespace", "ns").containsEntry("duration", 10L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "get_logs", "get_logs(\"a\"", "get_logs(\"a)", "submit([\"a\" \"b\"]", "f(a=1, 2)",
        "f(x)", "f(1 2)", "f(1) extra", "f({\"a\" 1})", "f([1,)", "os.system(\"ls\")(", "f(1.2.3)", "f('unterminated)"})
    void rejectsMalformedCalls(String input) {
        assertThatThrownBy(() -> PyCallParser.parse(input)).isInstanceOf(PyCallParser.SyntaxError.class)
            .hasMessageNotContaining("Exception");
    }
}
