package dev.warden.rules;

import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EqualitiesFirstTest {

    private static final String HEADER = """
            package rules.test;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;
            """;

    @Test
    void anEqualityAgainstALiteralMovesAheadOfAMethodInItsPlaceOnTheLine() {
        String drl = HEADER + """
                rule "reads"
                when Action(surface == "jdbc", targetsWithin("orders", "items"),
                            actor == "billing-bot", text("db.product") == "H2")
                then verdict.permit("billing reads");
                end
                """;

        assertThat(rewritten(drl)).isEqualTo(HEADER + """
                rule "reads"
                when Action(surface == "jdbc", actor == "billing-bot",
                            targetsWithin("orders", "items"), text("db.product") == "H2")
                then verdict.permit("billing reads");
                end
                """);
    }

    @Test
    void aPatternWhoseTextTheParserReadsOtherwiseIsLeftAsWritten() {
        // The parser hands back 'READ' as "READ": offsets that do not give the expression leave the pattern alone.
        String drl = HEADER + """
                rule "r" when Action(targets contains "t", operation == 'READ', session == "s-1") then verdict.permit("p"); end
                """;

        assertThat(rewritten(drl)).isSameAs(drl);
    }

    @Test
    void onlyTheActionsOwnFactsMoveAndOnlyInActionPatterns() {
        String drl = HEADER + """
                declare Flagged name : String end
                rule "r"
                when Action(targetsWithin("t"), tier == 2, stateRead == false, labels contains "pii")
                     Flagged(name matches "x.*", name == "x1")
                     Action(actor : target, targetsWithin("t"), actor == "a")
                then verdict.permit("p");
                end
                """;

        assertThat(rewritten(drl)).isSameAs(drl);
    }

    @Test
    void aTestThatReadsStateStillComesBeforeWhatItChanges() throws Exception {
        // state(...) marks the action as having read state: stateRead is not one of the action's fixed facts.
        try (CompiledPolicy policy = new PolicyCompiler().compile(bundle(HEADER + """
                rule "unread"
                when Action(state("session.labels") == null, stateRead == false, surface == "jdbc")
                then verdict.permit("never: the state was read first");
                end
                """))) {
            assertThat(policy.evaluate(select("billing-bot", "orders")).outcome()).isEqualTo(Outcome.SILENCE);
        }
    }

    @Test
    void aBindingWithoutDollarIsNotOvertakenByItsOwnTest() throws Exception {
        try (CompiledPolicy policy = new PolicyCompiler().compile(bundle(HEADER + """
                rule "who"
                when Action(who : actor, who == "billing-bot", surface == "jdbc")
                then verdict.permit("billing");
                end
                """))) {
            assertThat(policy.evaluate(select("billing-bot", "orders")).outcome()).isEqualTo(Outcome.PERMIT);
            assertThat(policy.evaluate(select("support-bot", "orders")).outcome()).isEqualTo(Outcome.SILENCE);
        }
    }

    @Test
    void whatDroolsCannotHashStaysWhereItWasWritten() {
        String drl = HEADER + """
                rule "r"
                when $b : Action(actor == "bot")
                     Action(targetsWithin("t"), actor != "x", target matches "o.*", $t : target, actor == $b.actor,
                            actor == "a" || actor == "b", attributes["k"] == "v", this == $b)
                then verdict.permit("p");
                end
                """;

        assertThat(rewritten(drl)).isSameAs(drl);
    }

    @Test
    void patternsInsideNotOrAndAccumulateAreReorderedToo() {
        String drl = HEADER + """
                rule "r"
                when Action(targetsWithin("t"), actor == "a")
                     not (Action(targetsUnder("/tmp"), surface == "file") or Action(names("x") contains "y", surface == "http"))
                     Number() from accumulate(Action(flag("f"), operation == "READ"), count(1))
                then verdict.permit("p");
                end
                """;

        assertThat(rewritten(drl)).isEqualTo(HEADER + """
                rule "r"
                when Action(actor == "a", targetsWithin("t"))
                     not (Action(surface == "file", targetsUnder("/tmp")) or Action(surface == "http", names("x") contains "y"))
                     Number() from accumulate(Action(operation == "READ", flag("f")), count(1))
                then verdict.permit("p");
                end
                """);
    }

    @Test
    void aFileThatDoesNotParseIsLeftForTheCompilerToReport() {
        String drl = HEADER + "rule \"r\" when Action(targetsWithin(\"t\"), actor == \"a\" then end\n";

        assertThat(rewritten(drl)).isSameAs(drl);
    }

    @Test
    void theRewrittenPolicyDecidesAsWritten() throws Exception {
        try (CompiledPolicy policy = new PolicyCompiler().compile(bundle(HEADER + """
                rule "billing reads"
                when Action(surface == "jdbc", targetsWithin("orders", "items"), actor == "billing-bot")
                then verdict.permit("billing reads");
                end
                """))) {
            assertThat(policy.evaluate(select("billing-bot", "orders", "items")).outcome()).isEqualTo(Outcome.PERMIT);
            assertThat(policy.evaluate(select("billing-bot", "orders", "secrets")).outcome()).isEqualTo(Outcome.SILENCE);
            assertThat(policy.evaluate(select("support-bot", "orders")).outcome()).isEqualTo(Outcome.SILENCE);
        }
    }

    @Test
    void aConstraintThatThrowsIsReachedOnlyByTheActionsItsEqualitiesSelect() throws Exception {
        try (CompiledPolicy policy = new PolicyCompiler().compile(bundle(HEADER + """
                rule "product reads"
                when Action(attribute("db.product").toString().startsWith("H2"), actor == "billing-bot")
                then verdict.permit("H2 reads");
                end
                """))) {
            // Another actor's action never reaches the method that would throw on its missing attribute.
            assertThat(policy.evaluate(select("support-bot", "orders")).outcome()).isEqualTo(Outcome.SILENCE);
            // The actor's own action does, and a constraint that throws is a denial.
            Ruling ruling = policy.evaluate(select("billing-bot", "orders"));
            assertThat(ruling.outcome()).isEqualTo(Outcome.DENY);
            assertThat(ruling.rules()).containsExactly("warden.rule-error");
        }
    }

    private static String rewritten(String drl) {
        return EqualitiesFirst.rewrite(ParsedDrl.of("test.drl", drl));
    }

    private static PolicyBundle bundle(String drl) {
        return PolicyBundle.of(Map.of("test.drl", drl.getBytes(StandardCharsets.UTF_8)));
    }

    private static Action select(String actor, String... tables) {
        return new Action("id", "jdbc", "SELECT", tables[0], Set.of(tables), Map.of(), actor, null, null);
    }
}
