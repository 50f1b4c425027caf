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
    void malformedScopesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> Scope.parse("tool")).hasMessageContaining("needs a surface and at least one segment");
        assertThatThrownBy(() -> Scope.parse("tool::send")).hasMessageContaining("empty or invalid segment");
        assertThatThrownBy(() -> Scope.parse("*:crm:read")).hasMessageContaining("must name its surface");
        assertThatThrownBy(() -> Scope.parse("tool:**:*")).hasMessageContaining("only labels may follow");
        assertThatThrownBy(() -> Scope.parse("tool:crm read")).hasMessageContaining("invalid segment");
    }
}
