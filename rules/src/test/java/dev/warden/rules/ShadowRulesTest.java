package dev.warden.rules;

import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** S12's per-rule shadow: a rule in shadow is evaluated and its would-be word kept, while the rest enforce. */
class ShadowRulesTest {

    private static final String DRL = """
            package rules.shadow;
            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "orders are writable"
            when Action(surface == "jdbc", operation == "INSERT", targetsWithin("orders"))
            then verdict.permit("orders are writable").maxRows(5);
            end

            rule "trying: no writes to orders" @shadow
            when Action(surface == "jdbc", operation == "INSERT", targetsWithin("orders"))
            then verdict.deny("writes to orders are about to be refused");
            end

            rule "trying: notes are readable" @shadow(true)
            when Action(surface == "jdbc", operation == "SELECT", targetsWithin("notes"))
            then verdict.permit("notes are about to be readable");
            end

            rule "enforced after all" @shadow(false)
            when Action(surface == "jdbc", operation == "DELETE")
            then verdict.deny("no deletes");
            end
            """;

    private static final String ROLES = """
            policies:
              - role: writer
                allow: [jdbc:orders:insert, jdbc:notes:select]
              - role: cautious
                shadow: true
                deny: [jdbc:orders:insert]
                allow: [jdbc:audit:select]
            actors:
              bot: [writer, cautious]
            """;

    private static CompiledPolicy policy;

    @BeforeAll
    static void compile() throws Exception {
        policy = new PolicyCompiler().compile(PolicyBundle.of(Map.of(
                "rules.drl", DRL.getBytes(StandardCharsets.UTF_8), "roles.yaml", ROLES.getBytes(StandardCharsets.UTF_8))));
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    @Test
    void theShadowRulesAreThoseMarkedAndTheRolesInShadow() {
        assertThat(policy.shadowRules()).containsExactlyInAnyOrder("trying: no writes to orders", "trying: notes are readable",
                "role cautious denies jdbc:orders:insert", "role cautious allows");
    }

    @Test
    void aShadowDenyLetsTheEnforcedPermitStandAndKeepsWhatItWouldHaveDone() {
        Ruling ruling = policy.evaluate(action("INSERT", "orders", "agent"));
        assertThat(ruling.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(ruling.rules()).containsExactly("orders are writable");
        assertThat(ruling.obligations().maxRows()).isEqualTo(5);
        assertThat(ruling.shadow().outcome()).isEqualTo(Outcome.DENY);
        assertThat(ruling.shadow().rules()).containsExactly("trying: no writes to orders");
        assertThat(ruling.shadow().reason()).isEqualTo("writes to orders are about to be refused");
    }

    @Test
    void aShadowPermitGrantsNothing() {
        Ruling ruling = policy.evaluate(action("SELECT", "notes", "agent"));
        assertThat(ruling.outcome()).isEqualTo(Outcome.SILENCE);
        assertThat(ruling.shadow().outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(ruling.shadow().rules()).containsExactly("trying: notes are readable");
    }

    @Test
    void noShadowWhenNoShadowRuleSpokeAndShadowFalseEnforces() {
        assertThat(policy.evaluate(action("SELECT", "orders", "agent")).shadow()).isNull();
        Ruling delete = policy.evaluate(action("DELETE", "orders", "agent"));
        assertThat(delete.outcome()).isEqualTo(Outcome.DENY);
        assertThat(delete.shadow()).isNull();
    }

    @Test
    void aRoleInShadowIsRecordedNotEnforced() {
        Ruling insert = policy.evaluate(action("INSERT", "orders", "bot"));
        assertThat(insert.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(insert.rules()).containsExactlyInAnyOrder("orders are writable", "role writer allows");
        assertThat(insert.shadow().outcome()).isEqualTo(Outcome.DENY);
        assertThat(insert.shadow().rules()).containsExactlyInAnyOrder("trying: no writes to orders",
                "role cautious denies jdbc:orders:insert");
        // A role in shadow grants nothing: the SILENCE's reason does not count it either.
        Ruling audit = policy.evaluate(action("SELECT", "audit", "bot"));
        assertThat(audit.outcome()).isEqualTo(Outcome.SILENCE);
        assertThat(audit.reason()).contains("no role of bot").contains("jdbc:audit:select");
        assertThat(audit.shadow().outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(audit.shadow().rules()).containsExactly("role cautious allows");
    }

    private static Action action(String operation, String table, String actor) {
        return new Action("id", "jdbc", operation, table, Set.of(table), Map.of(), actor, null, null);
    }
}
