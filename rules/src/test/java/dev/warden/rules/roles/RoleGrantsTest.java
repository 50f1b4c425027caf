package dev.warden.rules.roles;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a SILENCE names as missing. */
class RoleGrantsTest {

    private final RoleGrants grants = RoleGrants.of(List.of(RolePolicy.parse("""
            policies:
              - role: support
                allow: [jdbc:notes:select, tool:crm:read]
              - role: rep
                allow: [tool:crm:*]
            actors:
              support-bot: [support]
              rita: [rep]
            """)));

    @Test
    void namesTheActorsRolesAndTheScopeNoneAllows() {
        assertThat(grants.silence("jdbc", "DELETE", "notes", Set.of("notes"), "support-bot", null, Set.of()))
                .isEqualTo("no role of support-bot (support) permits jdbc:notes:delete");
        assertThat(grants.silence("jdbc", "SELECT", "notes", Set.of("notes", "audit"), "support-bot", null, Set.of()))
                .isEqualTo("no role of support-bot (support) permits jdbc:audit:select");
        assertThat(grants.silence("jdbc", "SELECT", "notes", Set.of(), "nobody", null, Set.of()))
                .isEqualTo("nobody holds no role that permits jdbc:notes:select");
    }

    /** The JDBC surface gives a schema-qualified table by both names: the role's scope names the table, not another schema's. */
    @Test
    void aScopeForATableDoesNotCoverAnotherSchemasTableOfThatName() {
        assertThat(grants.silence("jdbc", "SELECT", "notes", Set.of("notes", "private.notes"), "support-bot", null, Set.of()))
                .isEqualTo("no role of support-bot (support) permits jdbc:private.notes:select");
        RoleGrants qualified = RoleGrants.of(List.of(RolePolicy.parse("""
                policies:
                  - role: support
                    allow: [jdbc:notes:select, jdbc:public.notes:select]
                actors:
                  support-bot: [support]
                """)));
        assertThat(qualified.silence("jdbc", "SELECT", "notes", Set.of("notes", "public.notes"), "support-bot", null, Set.of()))
                .isNull();
    }

    @Test
    void forAnAgentActingForAUserSaysWhoseGrantFellShort() {
        assertThat(grants.silence("tool", "crm_write", "crm_write", Set.of(), "support-bot", "rita", Set.of()))
                .startsWith("no role of support-bot (support) permits tool:crm:write");
        assertThat(grants.silence("jdbc", "SELECT", "notes", Set.of(), "support-bot", "rita", Set.of()))
                .isEqualTo("the roles of support-bot permit jdbc:notes:select, but no role of rita (rep), for whom it acts, permits "
                        + "jdbc:notes:select (an agent acting for a user gets the intersection of both grants)");
        assertThat(grants.silence("tool", "crm_read", "crm_read", Set.of(), "support-bot", "rita", Set.of())).isNull();
    }
}
