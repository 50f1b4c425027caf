package dev.warden.rules;

import dev.warden.bootstrap.Obligations;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A redaction holds only where the statement reads the redacted columns as plain result columns (a ninth review). */
class RedactionReachTest {

    private static final Obligations REDACT_SSN = new Obligations(-1, Set.of("ssn"), false);

    @Test
    void aPermitWhoseRedactedColumnIsComputedIsRefused() {
        Ruling ruling = Ruling.combine(List.of(permit(REDACT_SSN)), sql(Set.of("ssn"), null));

        assertThat(ruling.outcome()).isEqualTo(dev.warden.bootstrap.Outcome.DENY);
        assertThat(ruling.rules()).containsExactly(RedactionReach.RULE);
        assertThat(ruling.reason()).contains("reads ssn other than as a plain result column");
        assertThat(ruling.obligations().restrictsResults()).isFalse();
    }

    @Test
    void aStarElsewhereOrUnreadableSqlIsRefusedUnderARedaction() {
        assertThat(RedactionReach.unreachable(REDACT_SSN, sql(Set.of("*"), null))).contains("under other names");
        assertThat(RedactionReach.unreachable(REDACT_SSN, sql(Set.of(), "unparseable SQL"))).contains("cannot be read");
    }

    @Test
    void plainResultColumnsOtherComputedColumnsAndNoRedactionPass() {
        assertThat(RedactionReach.unreachable(REDACT_SSN, sql(Set.of(), null))).isNull();
        assertThat(RedactionReach.unreachable(REDACT_SSN, sql(Set.of("country"), null))).isNull();
        assertThat(RedactionReach.unreachable(new Obligations(10, Set.of(), false), sql(Set.of("*"), null))).isNull();
        Ruling ruling = Ruling.combine(List.of(permit(REDACT_SSN)), sql(Set.of("country"), null));
        assertThat(ruling.outcome()).isEqualTo(dev.warden.bootstrap.Outcome.PERMIT);
        assertThat(ruling.obligations().redact()).containsExactly("ssn");
    }

    @Test
    void anActionWithoutSqlIsNotJudgedHere() {
        Action tool = new Action("id", "tool", "crm_read", "crm", Set.of("crm"), Map.of(), "agent", null, null);
        assertThat(RedactionReach.unreachable(REDACT_SSN, tool)).isNull();
    }

    @Test
    void aJdbcPermitThatMasksPersonalDataIsRefused() {
        Ruling ruling = Ruling.combine(List.of(permit(new Obligations(-1, Set.of(), true))), sql(Set.of(), null));

        assertThat(ruling.outcome()).isEqualTo(dev.warden.bootstrap.Outcome.DENY);
        assertThat(ruling.rules()).containsExactly(UnmaskedResults.RULE);
        Action tool = new Action("id", "tool", "crm_read", "crm", Set.of("crm"), Map.of(), "agent", null, null);
        assertThat(UnmaskedResults.unmasked(new Obligations(-1, Set.of(), true), tool)).isNull();
    }

    private static Verdict.Contribution permit(Obligations obligations) {
        return new Verdict.Contribution("customers are readable", dev.warden.bootstrap.Outcome.PERMIT, "read", obligations);
    }

    private static Action sql(Set<String> computed, String parseError) {
        Map<String, Object> attributes = new HashMap<>(Map.of("sql.shape", "SELECT ...", "sql.computedColumns", computed));
        if (parseError != null) {
            attributes.put("sql.parseError", parseError);
        }
        return new Action("id", "jdbc", "SELECT", "customers", Set.of("customers"), attributes, "agent", null, null);
    }
}
