package dev.warden.rules;

import dev.warden.bootstrap.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code verdict.oblige(...)}: obligations that bind whatever permit an action gets, and grant nothing. Found by a
 * fifth review (2026-12-06): the demo masked CRM results with a permit, which granted crm_read to hank, who holds no role.
 */
class ObligeTest {

    private static CompiledPolicy policy;

    @BeforeAll
    static void compile() throws Exception {
        policy = new PolicyCompiler().compile(PolicyBundle.of(Map.of(
                "roles.yaml", """
                        policies:
                          - role: rep
                            allow: [tool:crm:read]
                          - role: assistant
                            allow: [tool:crm:*]
                        actors:
                          rita: [rep]
                          sales-assistant: [assistant]
                        """.getBytes(StandardCharsets.UTF_8),
                "masking.drl", """
                        package rules.masking;
                        import dev.warden.rules.Action;
                        global dev.warden.rules.Verdict verdict;

                        rule "CRM results reach the model masked"
                        when Action(surface == "tool", operation == "crm_read")
                        then verdict.oblige("CRM data reaches the model without personal data").maskPii().redact("SSN");
                        end

                        rule "exports are capped"
                        when Action(surface == "tool", operation == "crm_export")
                        then verdict.oblige("at most 10 rows").maxRows(10);
                        end

                        rule "exports are held"
                        when Action(surface == "tool", operation == "crm_export", actor == "sales-assistant")
                        then verdict.hold("an export needs a manager");
                        end

                        rule "payroll is held"
                        when Action(surface == "tool", operation == "payroll")
                        then verdict.hold("payroll needs a manager"); verdict.permit("payroll for everyone").maxRows(20).redact("iban");
                        end

                        rule "payroll is masked"
                        when Action(surface == "tool", operation == "payroll")
                        then verdict.oblige("and without personal data").maskPii().maxRows(50);
                        end

                        rule "payroll is refused to hank"
                        when Action(surface == "tool", operation == "payroll", actor == "hank")
                        then verdict.deny("hank reads no payroll");
                        end

                        rule "the report tool"
                        when Action(surface == "tool", operation == "report")
                        then verdict.permit("reports for everyone").maxRows(100); verdict.oblige("and capped").maxRows(5);
                        end
                        """.getBytes(StandardCharsets.UTF_8))));
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    @Test
    void anObligationBindsTheRolesPermit() {
        Ruling ruling = policy.evaluate(tool("crm_read", "sales-assistant", "rita"));

        assertThat(ruling.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(ruling.obligations().maskPii()).isTrue();
        assertThat(ruling.obligations().redact()).containsExactly("ssn");
        assertThat(ruling.rules()).containsExactly("role assistant allows", "CRM results reach the model masked");
        assertThat(ruling.reason()).endsWith("; CRM data reaches the model without personal data");
    }

    @Test
    void anObligationGrantsNothing() {
        Ruling hank = policy.evaluate(tool("crm_read", "hank", null));
        assertThat(hank.outcome()).isEqualTo(Outcome.SILENCE);
        assertThat(hank.rules()).isEmpty();
        assertThat(hank.obligations().restrictsResults()).isFalse();
        assertThat(hank.reason()).contains("hank holds no role");

        // Nor does it widen the intersection: the assistant's roles allow crm_write, rita's do not.
        assertThat(policy.evaluate(tool("crm_write", "sales-assistant", "rita")).outcome()).isEqualTo(Outcome.SILENCE);
    }

    @Test
    void aHoldOrADenialStaysWhatItIs() {
        Ruling held = policy.evaluate(tool("crm_export", "sales-assistant", null));

        assertThat(held.outcome()).isEqualTo(Outcome.HOLD);
        assertThat(held.rules()).containsExactly("exports are held");
    }

    /**
     * A held action keeps what its permit would run under, for the permit its approval makes of it. Found by a sixth
     * review (2026-12-07): a hold carried none, so an approved export ran without its cap.
     */
    @Test
    void aHoldKeepsWhatItsPermitWouldRunUnderForItsApproval() {
        Ruling export = policy.evaluate(tool("crm_export", "sales-assistant", null));
        assertThat(export.outcome()).isEqualTo(Outcome.HOLD);
        assertThat(export.obligations().maxRows()).isEqualTo(10);

        Ruling payroll = policy.evaluate(tool("payroll", "sales-assistant", null));
        assertThat(payroll.outcome()).isEqualTo(Outcome.HOLD);
        assertThat(payroll.rules()).as("held by the hold, not granted by the permit").containsExactly("payroll is held");
        assertThat(payroll.obligations().maxRows()).isEqualTo(20);
        assertThat(payroll.obligations().redact()).containsExactly("iban");
        assertThat(payroll.obligations().maskPii()).isTrue();

        Ruling denied = policy.evaluate(tool("payroll", "hank", null));
        assertThat(denied.outcome()).isEqualTo(Outcome.DENY);
        assertThat(denied.obligations().restrictsResults()).as("a denial runs under nothing").isFalse();
    }

    @Test
    void obligationsCombineWithAPermitsToTheMostRestrictive() {
        Ruling ruling = policy.evaluate(tool("report", "hank", null));

        assertThat(ruling.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(ruling.obligations().maxRows()).isEqualTo(5);
    }

    private static Action tool(String name, String actor, String onBehalfOf) {
        return new Action("id", "tool", name, name, Set.of(name), Map.of(), actor, onBehalfOf, null);
    }
}
