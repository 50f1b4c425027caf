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
    void outsideAnyCallAToolOrModelCallsOwnHintsComeNext() {
        assertThat(resolver.resolve(toolCall("own-bot", "own-user", "own-session"), ThreadIdentity.of(null, null, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("own-bot", "own-user", "own-session"));
        assertThat(resolver.resolve(jdbc(), ThreadIdentity.of(null, CALL, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("call-bot", "call-user", "call-session"));
    }

    @Test
    void insideACallEverythingItCausesIsForTheCallWhateverItsOwnHintsName() {
        // A nested AI service's memory id, taken from a tool's arguments: the model's choice, not the session.
        assertThat(resolver.resolve(toolCall("own-bot", "own-user", "c1"), ThreadIdentity.of(null, CALL, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("call-bot", "call-user", "call-session"));
        assertThat(resolver.resolve(modelCall("c1"), ThreadIdentity.of(null, CALL, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("call-bot", "call-user", "call-session"));
    }

    @Test
    void aCallThatLeavesANameEmptyLeavesItToBaggageAndTheDefaultNotToTheHintsOfWhatItCauses() {
        WardenContext.Identity sessionOnly = new WardenContext.Identity(null, null, "s4");

        assertThat(resolver.resolve(toolCall("chosen-bot", "chosen-user", "c1"), ThreadIdentity.of(null, sessionOnly, null)))
                .isEqualTo(new IdentityResolver.Identity("agent", null, "s4"));
        assertThat(resolver.resolve(toolCall("chosen-bot", "chosen-user", "c1"),
                ThreadIdentity.of(null, new WardenContext.Identity(null, null, null), AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("baggage-user", null, "baggage-session"));
    }

    @Test
    void aCallThatBindsNothingLeavesTheHintsOfWhatRunsInsideItFirst() {
        // A streaming model call before LangChain4j 1.6 names nobody; the AI service's tool calls its handler makes inside it do.
        WardenContext.Identity nobody = new WardenContext.Identity(null, null, null);

        assertThat(resolver.resolve(toolCall(null, null, "m1"), ThreadIdentity.ofUnbindingCall(null, nobody, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("baggage-user", null, "m1"));
        assertThat(resolver.resolve(jdbc(), ThreadIdentity.ofUnbindingCall(null, nobody, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("baggage-user", null, "baggage-session"));
    }

    @Test
    void whatTheHostSetExplicitlyInsideACallStillWins() {
        WardenContext.Identity explicit = new WardenContext.Identity(null, null, "ticket-9");

        assertThat(resolver.resolve(toolCall("own-bot", null, "c1"), ThreadIdentity.of(explicit, CALL, AMBIENT)))
                .isEqualTo(new IdentityResolver.Identity("call-bot", "call-user", "ticket-9"));
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

        assertThat(resolver.resolve(toolCall(null, null, "own-session"), ThreadIdentity.ofUnbindingCall(explicitActorOnly, CALL, AMBIENT)))
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

    private static ActionRequest modelCall(String session) {
        return new ActionRequest("model", "chat", "scripted-1", Map.of("model.name", "scripted-1", "session", session));
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
