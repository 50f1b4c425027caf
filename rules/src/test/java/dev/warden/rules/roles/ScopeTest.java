package dev.warden.rules.roles;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopeTest {

    private static final List<String> EMAIL_SEND = List.of("tool", "email", "send");

    @Test
    void segmentsMatchExactlyAndCaseInsensitively() {
        assertThat(Scope.parse("tool:email:send").matches(EMAIL_SEND, Set.of())).isTrue();
        assertThat(Scope.parse("TOOL:Email:Send").matches(EMAIL_SEND, Set.of())).isTrue();
        assertThat(Scope.parse("tool:email:draft").matches(EMAIL_SEND, Set.of())).isFalse();
    }

    @Test
    void toolNamesAreTheSameScopeWithUnderscoresOrColons() {
        assertThat(Scope.parse("tool:email_send").matches(EMAIL_SEND, Set.of())).isTrue();
        assertThat(Scope.parse("tool:email.send").segments()).containsExactly("tool", "email", "send");
    }

    @Test
    void trailingSegmentsAreLabelsTheActionMustCarry() {
        Scope external = Scope.parse("tool:email:send:external");

        assertThat(external.matches(EMAIL_SEND, Set.of("external"))).isTrue();
        assertThat(external.matches(EMAIL_SEND, Set.of("internal"))).isFalse();
        assertThat(external.matches(EMAIL_SEND, Set.of())).isFalse();
        assertThat(Scope.parse("tool:email:send").matches(EMAIL_SEND, Set.of("external"))).isTrue();
    }

    @Test
    void aStarIsOneSegmentAndADoubleStarTheRest() {
        assertThat(Scope.parse("tool:email:*").matches(EMAIL_SEND, Set.of())).isTrue();
        assertThat(Scope.parse("tool:*").matches(EMAIL_SEND, Set.of())).isFalse();
        assertThat(Scope.parse("tool:**").matches(EMAIL_SEND, Set.of())).isTrue();
        assertThat(Scope.parse("tool:**:external").matches(EMAIL_SEND, Set.of("external"))).isTrue();
        assertThat(Scope.parse("tool:**:external").matches(EMAIL_SEND, Set.of())).isFalse();
        assertThat(Scope.parse("jdbc:*:select").matches(List.of("jdbc", "orders", "select"), Set.of())).isTrue();
    }

    @Test
    void aShorterScopeIsNotAPrefixGrant() {
        assertThat(Scope.parse("tool:email").matches(EMAIL_SEND, Set.of())).isFalse();
    }

    @Test
    void hostsKeepTheirDots() {
        assertThat(Scope.parse("http:api.example.com:post").matches(List.of("http", "api.example.com", "post"), Set.of())).isTrue();
    }

    @Test
    void aTableInQuotesComparesExactlyAsWardenListsIt() {
        List<String> cased = List.of("jdbc", "\"Invoice\"", "delete");
        List<String> qualified = List.of("jdbc", "public.\"Invoice\"", "delete");

        assertThat(Scope.parse("jdbc:\"Invoice\":delete").matches(cased, Set.of())).isTrue();
        assertThat(Scope.parse("JDBC:PUBLIC.\"Invoice\":DELETE").matches(qualified, Set.of())).isTrue();
        assertThat(Scope.parse("jdbc:\"INVOICE\":delete").matches(cased, Set.of())).as("another table to PostgreSQL").isFalse();
        assertThat(Scope.parse("jdbc:Invoice:delete").matches(cased, Set.of())).as("unquoted is lower case").isFalse();
        assertThat(Scope.parse("jdbc:\"a:b\":select").segments()).containsExactly("jdbc", "\"a:b\"", "select");
        assertThat(Scope.parse("jdbc:\"a\"\"b\":select").matches(List.of("jdbc", "\"a\"\"b\"", "select"), Set.of())).isTrue();
    }

    @Test
    void allowsAreStrictButWhatMatchesAnyOneNameReadsATableAsLooselyAsAnyDatabase() {
        Scope qualified = Scope.parse("jdbc:public.pay:delete");
        List<String> bare = List.of("jdbc", "pay", "delete");

        assertThat(qualified.matches(bare, Set.of())).as("an allow of public.pay covers no other schema's pay").isFalse();
        assertThat(qualified.reaches(bare, Set.of())).as("a deny of public.pay holds pay, which may be it").isTrue();
        assertThat(qualified.reaches(List.of("jdbc", "private.pay", "delete"), Set.of())).isFalse();
        assertThat(qualified.reaches(List.of("jdbc", "payroll", "delete"), Set.of())).isFalse();
        assertThat(Scope.parse("jdbc:rv_invoice:delete").reaches(List.of("jdbc", "\"RV_INVOICE\"", "delete"), Set.of()))
                .as("one table to MariaDB with lower_case_table_names").isTrue();
        assertThat(Scope.parse("jdbc:public.\"Invoice\":delete").reaches(List.of("jdbc", "\"Invoice\"", "delete"), Set.of())).isTrue();
        assertThat(Scope.parse("jdbc:\"a.b\":delete").reaches(List.of("jdbc", "b", "delete"), Set.of()))
                .as("a dot in quotes is part of the name").isFalse();
        assertThat(Scope.parse("jdbc:pay:select").reaches(bare, Set.of())).isFalse();
    }

    @Test
    void aScopeThatCanMatchNothingSaysSo() {
        assertThat(Scope.parse("jdbc:invoices").neverMatches()).contains("a jdbc scope is jdbc:TARGET:OPERATION");
        assertThat(Scope.parse("jdbc:**").neverMatches()).isNull();
        assertThat(Scope.parse("tool:crm").neverMatches()).isNull();
        assertThat(Scope.parse("jdbc:invoices:delete").neverMatches()).isNull();
    }

    @Test
    void anUnquotedTableWithUpperCaseLettersIsNamed() {
        assertThat(Scope.parse("jdbc:rv_Invoice:delete").tableWithUnquotedUpperCase()).isEqualTo("rv_Invoice");
        assertThat(Scope.parse("jdbc:Public.\"Invoice\":delete").tableWithUnquotedUpperCase()).isEqualTo("Public.\"Invoice\"");
        assertThat(Scope.parse("jdbc:public.\"Invoice\":delete").tableWithUnquotedUpperCase()).isNull();
        assertThat(Scope.parse("http:API.example.com:get").tableWithUnquotedUpperCase()).isNull();
    }

    @Test
    void malformedScopesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> Scope.parse("jdbc:\"Invoice:delete")).hasMessageContaining("opens a double quote it does not close");
        assertThatThrownBy(() -> Scope.parse("tool:\"Crm\":read")).hasMessageContaining("only a jdbc table is written in quotes");
        assertThatThrownBy(() -> Scope.parse("jdbc:\"\":delete")).hasMessageContaining("invalid segment");
        assertThatThrownBy(() -> Scope.parse("tool")).hasMessageContaining("needs a surface and at least one segment");
        assertThatThrownBy(() -> Scope.parse("tool::send")).hasMessageContaining("empty or invalid segment");
        assertThatThrownBy(() -> Scope.parse("*:crm:read")).hasMessageContaining("must name its surface");
        assertThatThrownBy(() -> Scope.parse("tool:**:*")).hasMessageContaining("only labels may follow");
        assertThatThrownBy(() -> Scope.parse("tool:crm read")).hasMessageContaining("invalid segment");
    }
}
