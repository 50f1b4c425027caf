package dev.warden.agent.engine;

import dev.warden.bootstrap.Decision;
import dev.warden.rules.Action;
import dev.warden.rules.CompiledPolicy;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;
import dev.warden.rules.PolicyCompiler;
import dev.warden.rules.Ruling;
import dev.warden.rules.approvals.ApprovalPolicy;
import dev.warden.rules.state.StatePolicy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A start may compile its first version after the host's main began: decisions wait for it, bounded. */
class PolicyHolderTest {

    private static final PolicyBundle RULES = PolicyBundle.of(Map.of("test.drl", """
            package rules.test;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "reads"
            when Action(surface == "jdbc", operation == "SELECT")
            then verdict.permit("reads");
            end
            """.getBytes(StandardCharsets.UTF_8)));

    @Test
    void aVersionCompiledLaterIsWaitedForAndCompiledOnce() throws Exception {
        PolicyHolder policy = PolicyHolder.compiledLater(RULES, new PolicyCompiler(), Duration.ofMinutes(2));
        CompletableFuture<CompiledPolicy> waiting = new CompletableFuture<>();
        Thread decision = new Thread(() -> {
            try {
                waiting.complete(policy.await());
            } catch (Exception e) {
                waiting.completeExceptionally(e);
            }
        });
        decision.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (decision.getState() != Thread.State.TIMED_WAITING) { // waiting for the rules, not refused
            assertThat(decision.isAlive()).as("the decision waits for the rules").isTrue();
            assertThat(System.nanoTime()).as("the decision waited in time").isLessThan(deadline);
            Thread.onSpinWait();
        }

        policy.compileFirst();

        try (CompiledPolicy compiled = waiting.get()) {
            assertThat(compiled.version()).isEqualTo(RULES.version());
            assertThat(policy.version()).isEqualTo(RULES.version());
        }
        assertThatThrownBy(policy::compileFirst).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aVersionNeverCompiledRunsOutItsWait() {
        PolicyHolder policy = PolicyHolder.compiledLater(RULES, new PolicyCompiler(), Duration.ofMillis(1));

        assertThatThrownBy(policy::await).isInstanceOf(TimeoutException.class);
    }

    @Test
    void rulesThatDoNotCompileLaterAreRefusedToTheirWaiters() {
        PolicyBundle broken = PolicyBundle.of(Map.of("broken.drl", "rule \"x\" when then".getBytes(StandardCharsets.UTF_8)));
        PolicyHolder policy = PolicyHolder.compiledLater(broken, new PolicyCompiler(), Duration.ofMinutes(2));

        policy.compileFirst();

        assertThatThrownBy(policy::await).isInstanceOf(PolicyCompilationException.class);
    }

    /** Every later decision too, not only those that waited while it compiled: the same reason, and no state or tiers. */
    @Test
    void everyDecisionAfterRulesFailedToCompileIsRefusedNamingWhy() {
        PolicyBundle broken = PolicyBundle.of(Map.of("broken.drl", "rule \"x\" when then".getBytes(StandardCharsets.UTF_8)));
        PolicyHolder policy = PolicyHolder.compiledLater(broken, new PolicyCompiler(), Duration.ofMinutes(2));
        policy.compileFirst();
        PolicySnapshot current = policy.current();

        for (int decision = 0; decision < 2; decision++) {
            Ruling ruling = current.evaluate(new Action("a" + decision, "jdbc", "SELECT", "orders", Set.of("orders"), Map.of(),
                    "agent", null, null));
            assertThat(ruling.rules()).containsExactly(Decision.FAIL_CLOSED_RULE);
            assertThat(ruling.reason()).startsWith("policy did not compile: ").contains("broken.drl");
        }
        assertThat(current.state()).isSameAs(StatePolicy.NONE);
        assertThat(current.approvals()).isSameAs(ApprovalPolicy.NONE);
    }
}
