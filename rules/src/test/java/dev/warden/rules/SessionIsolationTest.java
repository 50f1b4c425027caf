package dev.warden.rules;

import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An evaluator keeps its session between evaluations and empties it by deleting facts: nothing one
 * evaluation inserted, matched or left on the agenda may reach the next, whatever the rules do, and a
 * failure must not leave a half-fired session behind.
 */
class SessionIsolationTest {

    private static final String HEADER = """
            package rules.isolation;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            declare Flag
                reason : String
            end

            """;

    /** Denies whenever the session holds more than one action: a leaked action shows here. */
    private static final String ONE_ACTION_AT_A_TIME = """
            rule "one action at a time"
            when
                Action()
                $n : Long(this > 1) from accumulate(Action(), count(1))
            then
                verdict.deny($n + " actions in one session");
            end

            """;

    @Test
    void factsTheRulesInsertedAreGoneInTheNextEvaluation() throws Exception {
        try (CompiledPolicy policy = compile(ONE_ACTION_AT_A_TIME + """
                rule "flag x" salience 10
                when Action(target == "x")
                then insert(new Flag("x was seen"));
                end

                rule "flagged"
                when Action() Flag($reason : reason)
                then verdict.deny($reason);
                end

                rule "unflagged"
                when Action() not Flag()
                then verdict.permit("nothing flagged");
                end
                """)) {
            assertThat(policy.resetBecause()).isNull();

            assertThat(policy.evaluate(action("x")).outcome()).isEqualTo(Outcome.DENY);
            Ruling next = policy.evaluate(action("y"));

            assertThat(next.outcome()).isEqualTo(Outcome.PERMIT);
            assertThat(next.rules()).containsExactly("unflagged");
        }
    }

    @Test
    void logicallyInsertedFactsAreGoneInTheNextEvaluation() throws Exception {
        try (CompiledPolicy policy = compile(ONE_ACTION_AT_A_TIME + """
                rule "flag x" salience 10
                when Action(target == "x")
                then insertLogical(new Flag("x was seen"));
                end

                rule "flagged" salience 5
                when Action() Flag($reason : reason)
                then verdict.deny($reason);
                end

                rule "unflagged"
                when Action() not Flag()
                then verdict.permit("nothing flagged");
                end
                """)) {
            assertThat(policy.resetBecause()).isNull();

            assertThat(policy.evaluate(action("x")).rules()).containsExactly("flagged");
            Ruling next = policy.evaluate(action("y"));

            assertThat(next.rules()).containsExactly("unflagged");
            assertThat(next.outcome()).isEqualTo(Outcome.PERMIT);
        }
    }

    @Test
    void aMatchLeftUnfiredInAnAgendaGroupDoesNotFireLater() throws Exception {
        try (CompiledPolicy policy = compile("""
                rule "x in the review group" agenda-group "review"
                when Action(target == "x")
                then verdict.deny("x reviewed");
                end

                rule "y asks for review" salience 10
                when Action(target == "y")
                then kcontext.getKieRuntime().getAgenda().getAgendaGroup("review").setFocus();
                end

                rule "anything"
                when Action()
                then verdict.permit("fine");
                end
                """)) {
            assertThat(policy.resetBecause()).isNull();
            assertThat(policy.evaluate(action("x")).outcome()).isEqualTo(Outcome.PERMIT); // the review group never had the focus

            Ruling next = policy.evaluate(action("y"));

            assertThat(next.outcome()).isEqualTo(Outcome.PERMIT);
            assertThat(next.rules()).containsExactly("anything");
        }
    }

    @Test
    void aRuleThatDeletesTheActionLeavesTheNextEvaluationAlone() throws Exception {
        try (CompiledPolicy policy = compile(ONE_ACTION_AT_A_TIME + """
                rule "x is denied and dropped" salience 10
                when $a : Action(target == "x")
                then verdict.deny("x"); delete($a);
                end

                rule "anything"
                when Action()
                then verdict.permit("fine");
                end
                """)) {
            assertThat(policy.resetBecause()).isNull();

            assertThat(policy.evaluate(action("x")).rules()).containsExactly("x is denied and dropped");
            assertThat(policy.evaluate(action("y")).rules()).containsExactly("anything");
        }
    }

    @Test
    void labelsAndTheSameActionObjectEvaluatedAgainAreDecidedAfresh() throws Exception {
        try (CompiledPolicy policy = compile(ONE_ACTION_AT_A_TIME + """
                rule "customers hold PII" salience 100
                when $a : Action(targets contains "customers", !hasLabel("pii"))
                then modify($a) { label("pii") }
                end

                rule "PII is held for review"
                when Action(hasLabel("pii"))
                then verdict.hold("PII");
                end

                rule "anything"
                when Action()
                then verdict.permit("fine");
                end
                """)) {
            assertThat(policy.resetBecause()).isNull();
            Action orders = action("orders");

            assertThat(policy.evaluate(action("customers")).outcome()).isEqualTo(Outcome.HOLD);
            assertThat(policy.evaluate(orders).rules()).containsExactly("anything");
            assertThat(policy.evaluate(orders).rules()).containsExactly("anything");
        }
    }

    @Test
    void afterARuleThrowsNothingOfThatEvaluationRemains() throws Exception {
        try (CompiledPolicy policy = compile(ONE_ACTION_AT_A_TIME + """
                rule "flag boom" salience 20
                when Action(target == "boom")
                then insert(new Flag("boom was seen"));
                end

                rule "exploding" salience 10
                when Action(target == "boom")
                then throw new IllegalStateException("kaboom");
                end

                rule "boom in the review group" agenda-group "review"
                when Action(target == "boom")
                then verdict.deny("boom reviewed");
                end

                rule "review" salience 10
                when Action(target == "review")
                then kcontext.getKieRuntime().getAgenda().getAgendaGroup("review").setFocus();
                end

                rule "flagged"
                when Action() Flag($reason : reason)
                then verdict.deny($reason);
                end

                rule "anything"
                when Action()
                then verdict.permit("fine");
                end
                """)) {
            assertThat(policy.resetBecause()).isNull();
            for (int i = 0; i < 3; i++) { // more failures than the pool keeps sessions
                Ruling failed = policy.evaluate(action("boom"));
                assertThat(failed.failed()).isTrue();
                assertThat(failed.rules()).containsExactly("exploding");
            }

            assertThat(policy.evaluate(action("review")).rules()).containsExactly("anything");
            assertThat(policy.evaluate(action("y")).rules()).containsExactly("anything");
        }
    }

    @Test
    void rulesThatMatchWithoutAFactFireInEveryEvaluation() throws Exception {
        // Drools joins these to an initial fact no deletion removes: their sessions are reset instead.
        for (String when : List.of("", "not Action(actor == \"root\")", "exists Action()", "forall(Action(actor == \"agent\"))",
                "Long(this > 0) from accumulate(Action(), count(1))")) {
            try (CompiledPolicy policy = compile("""
                    rule "always"
                    when %s
                    then verdict.permit("always");
                    end
                    """.formatted(when))) {
                assertThat(policy.resetBecause()).as(when).contains("without a fact");

                for (int i = 0; i < 3; i++) {
                    assertThat(policy.evaluate(action("t" + i)).rules()).as(when).containsExactly("always");
                }
            }
        }
    }

    @Test
    void aRuleWithATimerKeepsTheResetSession() throws Exception {
        try (CompiledPolicy policy = compile("""
                rule "later" timer (int: 1h)
                when Action()
                then verdict.permit("later");
                end
                """)) {
            assertThat(policy.resetBecause()).contains("'later' has a timer");
        }
    }

    @Test
    void threadsEvaluatingAtOnceEachGetTheirOwnAnswer() throws Exception {
        try (CompiledPolicy policy = compile(ONE_ACTION_AT_A_TIME + """
                rule "flag odd" salience 10
                when Action(target matches "t[0-9]*[13579]")
                then insert(new Flag("odd"));
                end

                rule "flagged"
                when Action() Flag()
                then verdict.deny("odd");
                end

                rule "unflagged"
                when Action() not Flag()
                then verdict.permit("even");
                end
                """)) {
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Integer>> work = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int offset = t;
                    work.add(() -> {
                        int wrong = 0;
                        for (int i = 0; i < 2_000; i++) {
                            int n = i + offset;
                            Ruling ruling = policy.evaluate(action("t" + n));
                            if (!ruling.rules().equals(List.of(n % 2 == 1 ? "flagged" : "unflagged"))) {
                                wrong++;
                            }
                        }
                        return wrong;
                    });
                }
                for (Future<Integer> wrong : threads.invokeAll(work)) {
                    assertThat(wrong.get()).isZero();
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static CompiledPolicy compile(String rules) throws PolicyCompilationException {
        return new PolicyCompiler().compile(PolicyBundle.of(Map.of("isolation.drl",
                (HEADER + rules).getBytes(StandardCharsets.UTF_8))));
    }

    private static Action action(String table) {
        return new Action("id", "jdbc", "SELECT", table, Set.of(table), Map.of(), "agent", null, null);
    }
}
