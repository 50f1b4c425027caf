package dev.warden.rules.roles;

import dev.warden.bootstrap.Outcome;
import dev.warden.rules.Action;
import dev.warden.rules.CompiledPolicy;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;
import dev.warden.rules.PolicyCompiler;
import dev.warden.rules.Ruling;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scenario S2's policy, as the security team writes it, compiled beside a DRL classification rule. */
class RolePolicyCompilerTest {

    static final String S2 = """
            policies:
              - role: rep
                allow: [tool:crm:read, tool:email:draft, tool:email:send:internal]
                deny:  [tool:email:send:external, tool:crm:write]
              - role: manager
                allow: [tool:crm:read, tool:crm:write, tool:email:send:internal, tool:email:send:external]
              - role: assistant
                allow: [tool:crm:*, tool:email:**, jdbc:customers:select, http:api.example.com:post]
            actors:
              rita: [rep]
              max: [manager]
              sales-assistant: [assistant]
            """;

    static final String CLASSIFICATION = """
            package rules.email;
            import dev.warden.rules.Action;

            rule "mail to the company's own domain is internal" salience 100
            when $a : Action(surface == "tool", operation == "email_send", text("arg.to") matches ".*@acme\\\\.example", !hasLabel("internal"))
            then modify($a) { label("internal") }
            end

            rule "mail to any other domain is external" salience 100
            when $a : Action(surface == "tool", operation == "email_send", !(text("arg.to") matches ".*@acme\\\\.example"), !hasLabel("external"))
            then modify($a) { label("external") }
            end
            """;

    private static CompiledPolicy policy;

    @BeforeAll
    static void compile() throws Exception {
        policy = new PolicyCompiler().compile(PolicyBundle.of(Map.of(
                "roles.yaml", S2.getBytes(StandardCharsets.UTF_8),
                "email.drl", CLASSIFICATION.getBytes(StandardCharsets.UTF_8))));
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    @Test
    void aRepReadsTheCrmAndDrafts() {
        assertThat(decide(tool("crm_read"), "rita", null).outcome()).isEqualTo(Outcome.PERMIT);
        Ruling draft = decide(tool("email_draft"), "rita", null);
        assertThat(draft.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(draft.rules()).containsExactly("role rep allows");
        assertThat(draft.reason()).contains("tool:email:draft");
    }

    @Test
    void aRepMaySendInternallyButNotExternally() {
        assertThat(decide(send("vp@acme.example"), "rita", null).outcome()).isEqualTo(Outcome.PERMIT);

        Ruling external = decide(send("vp@partner.example"), "rita", null);
        assertThat(external.outcome()).isEqualTo(Outcome.DENY);
        assertThat(external.rules()).containsExactly("role rep denies tool:email:send:external");
        assertThat(external.labels()).containsExactly("external");
    }

    @Test
    void aManagerSendsExternally() {
        Ruling ruling = decide(send("vp@partner.example"), "max", null);
        assertThat(ruling.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(ruling.rules()).containsExactly("role manager allows");
    }

    @Test
    void whatNoRoleListsIsSilence() {
        assertThat(decide(tool("hr_lookup"), "rita", null).outcome()).isEqualTo(Outcome.SILENCE);
        assertThat(decide(tool("email_draft"), "max", null).outcome()).isEqualTo(Outcome.SILENCE);
        assertThat(decide(tool("crm_read"), "nobody", null).outcome()).isEqualTo(Outcome.SILENCE);
    }

    @Test
    void anAgentActingForAUserGetsTheIntersectionOfBothGrants() {
        // The assistant may send anything; acting for the rep it may not send externally...
        Ruling forRep = decide(send("vp@partner.example"), "sales-assistant", "rita");
        assertThat(forRep.outcome()).isEqualTo(Outcome.DENY);
        assertThat(forRep.reason()).contains("acting for rita");
        // ...and what the user may do but the agent may not is not granted either.
        assertThat(decide(tool("crm_read"), "sales-assistant", "rita").outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(decide(tool("hr_lookup"), "sales-assistant", "max").outcome()).isEqualTo(Outcome.SILENCE);
        // The manager lacks draft: the assistant acting for the manager lacks it too.
        assertThat(decide(tool("email_draft"), "sales-assistant", "max").outcome()).isEqualTo(Outcome.SILENCE);
        Ruling forManager = decide(send("vp@partner.example"), "sales-assistant", "max");
        assertThat(forManager.outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(forManager.reason()).contains("and so do the roles of max");
    }

    @Test
    void scopesCoverEverySurface() {
        assertThat(decide(action("jdbc", "SELECT", "customers"), "sales-assistant", null).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(decide(action("jdbc", "DELETE", "customers"), "sales-assistant", null).outcome()).isEqualTo(Outcome.SILENCE);
        assertThat(decide(action("http", "POST", "api.example.com"), "sales-assistant", null).outcome()).isEqualTo(Outcome.PERMIT);
        assertThat(decide(action("http", "POST", "evil.example.net"), "sales-assistant", null).outcome()).isEqualTo(Outcome.SILENCE);
    }

    @Test
    void invalidPoliciesFailCompilationNamingTheFileAndTheProblem() {
        assertThatThrownBy(() -> compileYaml("policies:\n  - role: rep\n    allow: [tool]\n"))
                .isInstanceOf(PolicyCompilationException.class)
                .hasMessageContaining("bad.yaml: role 'rep', allow: scope 'tool' needs a surface");
        assertThatThrownBy(() -> compileYaml("policies:\n  - role: rep\nactors:\n  rita: [admin]\n"))
                .hasMessageContaining("actor 'rita' holds role 'admin', which no policy defines");
        assertThatThrownBy(() -> compileYaml("policy:\n  - role: rep\n"))
                .hasMessageContaining("unknown key 'policy'");
        assertThatThrownBy(() -> compileYaml("policies: [\n"))
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void rolesCanNameTheirHoldersInline() {
        RolePolicy parsed = RolePolicy.parse("policies:\n  - role: rep\n    allow: [tool:crm:read]\n    actors: [rita, ron]\n");
        assertThat(parsed.holders("rep")).containsExactly("rita", "ron");
    }

    /**
     * Roles held by several actors, and an agent acting for a user who holds the same role: each rule
     * still speaks once, for exactly the holders (the rules match the actor by equality, one branch per
     * holder, so that Drools finds them by hash).
     */
    @Test
    void rolesWithSeveralHoldersSpeakOnceForExactlyThem() throws Exception {
        String yaml = """
                policies:
                  - role: ops
                    allow: [jdbc:orders:select, jdbc:payroll:select]
                    deny:  [jdbc:payroll:delete, jdbc:orders:ddl]
                    actors: [ops-bot, alice, bob]
                  - role: auditor
                    allow: [jdbc:orders:select]
                    deny:  [jdbc:orders:delete]
                actors:
                  carol: [auditor]
                """;
        try (CompiledPolicy roles = new PolicyCompiler().compile(PolicyBundle.of(Map.of("ops.yaml", yaml.getBytes(StandardCharsets.UTF_8))))) {
            for (String holder : java.util.List.of("ops-bot", "alice", "bob")) {
                Ruling read = decide(roles, action("jdbc", "SELECT", "payroll"), holder, null);
                assertThat(read.outcome()).isEqualTo(Outcome.PERMIT);
                assertThat(read.rules()).containsExactly("role ops allows");
            }
            assertThat(decide(roles, action("jdbc", "SELECT", "payroll"), "carol", null).outcome()).isEqualTo(Outcome.SILENCE);
            assertThat(decide(roles, action("jdbc", "SELECT", "payroll"), "opsbot", null).outcome()).isEqualTo(Outcome.SILENCE);

            // The agent and its user both hold ops: one denial, not one per holder.
            Ruling both = decide(roles, action("jdbc", "DELETE", "payroll"), "ops-bot", "alice");
            assertThat(both.outcome()).isEqualTo(Outcome.DENY);
            assertThat(both.rules()).containsExactly("role ops denies jdbc:payroll:delete");
            assertThat(both.reason()).isEqualTo("role ops may not jdbc:payroll:delete (ops-bot acting for alice)");
            // Only the user holds it: denied all the same; only the agent: too.
            assertThat(decide(roles, action("jdbc", "DDL", "orders"), "carol", "bob").rules())
                    .containsExactly("role ops denies jdbc:orders:ddl");
            assertThat(decide(roles, action("jdbc", "DDL", "orders"), "bob", "carol").rules())
                    .containsExactly("role ops denies jdbc:orders:ddl");
            // Each holder's own role denies; the other role's deny stays its own holders'.
            Ruling delete = decide(roles, action("jdbc", "DELETE", "orders"), "alice", "carol");
            assertThat(delete.rules()).containsExactly("role auditor denies jdbc:orders:delete");
            assertThat(decide(roles, action("jdbc", "DELETE", "orders"), "alice", null).outcome()).isEqualTo(Outcome.SILENCE);
            // Acting for a user whose role lacks the grant: the intersection, as before.
            assertThat(decide(roles, action("jdbc", "SELECT", "payroll"), "alice", "carol").outcome()).isEqualTo(Outcome.SILENCE);
            assertThat(decide(roles, action("jdbc", "SELECT", "orders"), "alice", "carol").rules()).containsExactly("role ops allows");
        }
    }

    /** Past {@link RolePolicyCompiler#BRANCHED_HOLDERS} holders a role's rules keep one pattern: the same decisions. */
    @Test
    void aRoleWithManyHoldersDecidesAlike() throws Exception {
        StringBuilder yaml = new StringBuilder("policies:\n  - role: ops\n    allow: [jdbc:orders:select]\n    deny: [jdbc:payroll:delete]\nactors:\n");
        for (int i = 0; i <= RolePolicyCompiler.BRANCHED_HOLDERS; i++) {
            yaml.append("  user").append(i).append(": [ops]\n");
        }
        yaml.append("  carol: [auditor]\n");
        yaml.insert(yaml.indexOf("actors:"), "  - role: auditor\n    allow: [jdbc:payroll:select]\n");
        try (CompiledPolicy roles = new PolicyCompiler().compile(PolicyBundle.of(Map.of("ops.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8))))) {
            assertThat(decide(roles, action("jdbc", "SELECT", "orders"), "user0", null).rules()).containsExactly("role ops allows");
            assertThat(decide(roles, action("jdbc", "SELECT", "orders"), "carol", null).outcome()).isEqualTo(Outcome.SILENCE);
            assertThat(decide(roles, action("jdbc", "DELETE", "payroll"), "user1", "user2").rules())
                    .containsExactly("role ops denies jdbc:payroll:delete");
            assertThat(decide(roles, action("jdbc", "DELETE", "payroll"), "carol", "user3").rules())
                    .containsExactly("role ops denies jdbc:payroll:delete");
        }
    }

    /** Found by a fifth review (2026-12-06): a table with upper-case letters is named in quotes, which the compiled rules keep. */
    @Test
    void aQuotedTableCompilesAndIsAllowedOrDeniedExactly() throws Exception {
        String yaml = """
                policies:
                  - role: ledger
                    allow: ['jdbc:"Invoice":select', 'jdbc:"a\\b":select']
                    deny: ['jdbc:public."Invoice":delete', process:rm:exec]
                actors:
                  bot: [ledger]
                """;
        try (CompiledPolicy roles = new PolicyCompiler().compile(PolicyBundle.of(Map.of("ledger.yaml", yaml.getBytes(StandardCharsets.UTF_8))))) {
            assertThat(decide(roles, action("jdbc", "SELECT", "\"Invoice\""), "bot", null).rules())
                    .containsExactly("role ledger allows");
            assertThat(decide(roles, action("jdbc", "SELECT", "\"a\\b\""), "bot", null).rules())
                    .containsExactly("role ledger allows");
            assertThat(decide(roles, action("jdbc", "SELECT", "invoice"), "bot", null).outcome()).isEqualTo(Outcome.SILENCE);
            Ruling delete = decide(roles, action("jdbc", "DELETE", "\"Invoice\""), "bot", null);
            assertThat(delete.rules()).containsExactly("role ledger denies jdbc:public.'Invoice':delete");
            assertThat(delete.reason()).contains("role ledger may not jdbc:public.\"Invoice\":delete");
            assertThat(decide(roles, new ActionShape("process", "EXEC", "/bin/rm", Map.of("process.program.path", "/usr/bin/rm")),
                    "bot", null).rules()).containsExactly("role ledger denies process:rm:exec");
        }
    }

    private static void compileYaml(String yaml) throws PolicyCompilationException {
        new PolicyCompiler().compile(PolicyBundle.of(Map.of("bad.yaml", yaml.getBytes(StandardCharsets.UTF_8)))).close();
    }

    private static Ruling decide(ActionShape shape, String actor, String onBehalfOf) {
        return decide(policy, shape, actor, onBehalfOf);
    }

    private static Ruling decide(CompiledPolicy compiled, ActionShape shape, String actor, String onBehalfOf) {
        return compiled.evaluate(new Action(UUID.randomUUID().toString(), shape.surface, shape.operation, shape.target,
                Set.of(shape.target), shape.attributes, actor, onBehalfOf, "session-1"));
    }

    private record ActionShape(String surface, String operation, String target, Map<String, Object> attributes) {
    }

    private static ActionShape tool(String name) {
        return new ActionShape("tool", name, name, Map.of());
    }

    private static ActionShape send(String to) {
        return new ActionShape("tool", "email_send", "email_send", Map.of("arg.to", to));
    }

    private static ActionShape action(String surface, String operation, String target) {
        return new ActionShape(surface, operation, target, Map.of());
    }
}
