package dev.warden.agent.identity;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Ambient;
import dev.warden.bootstrap.ThreadIdentity;
import dev.warden.bootstrap.WardenContext;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The order of identity sources (DESIGN.md §3), one source removed at a time. */
class IdentityResolverTest {

    private final IdentityResolver resolver = new IdentityResolver("agent");

    private static final WardenContext.Identity EXPLICIT = new WardenContext.Identity("explicit-bot", "explicit-user", "explicit-session");
    private static final WardenContext.Identity CALL = new WardenContext.Identity("call-bot", "call-user", "call-session");
    private static final Ambient AMBIENT = new Ambient("baggage-user", "baggage-session", "spring-user");

    @Test
    void whatTheHostSetExplicitlyWinsOverEverything() {
        IdentityResolver.Identity identity = resolver.resolve(toolCall("own-bot", "own-user", "own-session"),
                ThreadIdentity.of(EXPLICIT, CALL, AMBIENT));

        assertThat(identity).isEqualTo(new IdentityResolver.Identity("explicit-bot", "explicit-user", "explicit-session"));
    }

    @Test
    void aToolOrModelCallsOwnHintsComeNextThenTheCallUnderWay() {
        assertThat(resolver.resolve(toolCall("own-bot", "own-user", "own-session"), ThreadIdentity.of(null, CALL, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("own-bot", "own-user", "own-session"));
        assertThat(resolver.resolve(jdbc(), ThreadIdentity.of(null, CALL, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("call-bot", "call-user", "call-session"));
    }

    @Test
    void baggageComesAfterTheCallAndBeforeSpringSecurity() {
        WardenContext.Identity sessionOnly = new WardenContext.Identity(null, null, "memory-7");

        assertThat(resolver.resolve(jdbc(), ThreadIdentity.of(null, sessionOnly, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("baggage-user", null, "memory-7"));
        assertThat(resolver.resolve(jdbc(), ThreadIdentity.of(null, null, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("baggage-user", null, "baggage-session"));
    }

    @Test
    void springSecuritysAuthenticationNamesTheActorWhenNothingBeforeItDoes() {
        assertThat(resolver.resolve(jdbc(), ThreadIdentity.of(null, null, new Ambient(null, null, "alice"))))
                .isEqualTo(new IdentityResolver.Identity("alice", null, null));
    }

    @Test
    void theConfiguredActorIsTheLastResort() {
        assertThat(resolver.resolve(jdbc(), null)).isEqualTo(new IdentityResolver.Identity("agent", null, null));
        assertThat(resolver.resolve(jdbc(), ThreadIdentity.of(null, new WardenContext.Identity(null, null, null), null)))
                .isEqualTo(new IdentityResolver.Identity("agent", null, null));
    }

    @Test
    void eachFieldFallsThroughOnItsOwnAndEmptyHintsNameNobody() {
        WardenContext.Identity explicitActorOnly = new WardenContext.Identity("explicit-bot", "", null);

        assertThat(resolver.resolve(toolCall(null, null, "own-session"), ThreadIdentity.of(explicitActorOnly, CALL, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("explicit-bot", "call-user", "own-session"));
    }

    @Test
    void theHostsExplicitIdentityIsReadFromTheThread() {
        try (WardenContext.Scope ignored = WardenContext.actAs("support-bot", "alice", "session-42")) {
            assertThat(resolver.resolve(jdbc())).isEqualTo(new IdentityResolver.Identity("support-bot", "alice", "session-42"));
        }
        assertThat(resolver.resolve(jdbc())).isEqualTo(new IdentityResolver.Identity("agent", null, null));
    }

    private static ActionRequest jdbc() {
        return ActionRequest.of("jdbc", Map.of("sql", "SELECT 1"));
    }

    private static ActionRequest toolCall(String actor, String onBehalfOf, String session) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("tool.name", "crm_read");
        if (actor != null) {
            attributes.put("actor", actor);
        }
        if (onBehalfOf != null) {
            attributes.put("onBehalfOf", onBehalfOf);
        }
        if (session != null) {
            attributes.put("session", session);
        }
        return new ActionRequest("tool", "crm_read", "crm_read", attributes);
    }
}
