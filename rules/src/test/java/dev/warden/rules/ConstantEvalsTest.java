package dev.warden.rules;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConstantEvalsTest {

    private static final String HEADER = """
            package rules.test;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;
            """;

    @Test
    void anEvalThatUsesNoVariableOfItsRuleIsRefusedWithItsLine() {
        String drl = HEADER + """
                rule "after hours"
                when Action(operation == "DELETE")
                     eval(java.time.LocalTime.now().getHour() > 18)
                then verdict.deny("not after hours");
                end
                """;

        assertThat(ConstantEvals.in(ParsedDrl.of("hours.drl", drl))).singleElement().asString()
                .startsWith("hours.drl:6: rule \"after hours\": eval(java.time.LocalTime.now().getHour() > 18) uses no variable")
                .contains("evaluated once, when the policy is compiled");
    }

    @Test
    void anEvalOverABoundActionOrAGlobalIsDecidedPerAction() {
        String drl = HEADER + """
                rule "bound"
                when $a : Action(operation == "DELETE")
                     eval($a.getTarget().startsWith("tmp_"))
                then verdict.permit("scratch tables");
                end
                rule "global"
                when Action(operation == "READ")
                     eval(verdict != null)
                then verdict.permit("reads");
                end
                """;

        assertThat(ConstantEvals.in(ParsedDrl.of("ok.drl", drl))).isEmpty();
    }

    @Test
    void theCompilerRefusesAPolicyWithAConstantEval() {
        String drl = HEADER + """
                rule "frozen"
                when Action() eval(System.currentTimeMillis() > 0)
                then verdict.permit("always, as of compile time");
                end
                """;
        PolicyBundle bundle = PolicyBundle.of(Map.of("frozen.drl", drl.getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> new PolicyCompiler().compile(bundle))
                .isInstanceOf(PolicyCompilationException.class)
                .hasMessageContaining("frozen.drl:5: rule \"frozen\": eval(System.currentTimeMillis() > 0) uses no variable");
    }
}
