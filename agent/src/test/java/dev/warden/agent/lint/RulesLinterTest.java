package dev.warden.agent.lint;

import dev.warden.rules.PolicyBundle;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The linter against the surfaces on the agent's class path, as check-rules runs it. */
class RulesLinterTest {

    private static final String HEADER = "package t;\nimport dev.warden.rules.Action;\nglobal dev.warden.rules.Verdict verdict;\n";

    private static RulesLinter.Report lint(String... pathsAndContents) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return new RulesLinter(FactVocabulary.installedModules()).lint(PolicyBundle.of(files));
    }

    private static List<String> lines(RulesLinter.Report report) {
        return report.findings().stream().map(Finding::toString).toList();
    }

    /** Found by a review (2026-12-06): check-rules read an approver's key as YAML while the agent loaded it. */
    @Test
    void anApproversPublicKeyIsNoYaml() {
        RulesLinter.Report report = lint("ok.drl", HEADER + """
                rule "notes are readable"
                when
                    Action(surface == "jdbc", operation == "SELECT", targetsWithin("notes"))
                then
                    verdict.permit("notes");
                end
                """, "approvers/a1.pem", """
                -----BEGIN PUBLIC KEY-----
                MCowBQYDK2VwAyEA8ARb+6TZMZwRIQzDcYuuyo54NAs76+5sRpWbQOIfgkE=
                -----END PUBLIC KEY-----
                """);

        assertThat(lines(report)).isEmpty();
    }

    @Test
    void aCleanPolicyHasNoFindingsAndCompiles() {
        RulesLinter.Report report = lint("ok.drl", HEADER + """
                rule "notes are readable"
                when
                    $a : Action(surface == "jdbc", operation in ("SELECT", "INSERT"), targetsWithin("notes"), !flag("sql.comment"))
                then
                    verdict.permit("notes " + $a.text("sql.shape"));
                end
                rule "mail to one domain"
                when
                    Action(surface == "tool", operation == "email_send", text("arg.to") matches ".*@acme\\\\.example")
                then
                    verdict.permit("internal mail");
                end
                """);

        assertThat(lines(report)).isEmpty();
        assertThat(report.version()).hasSize(64);
    }

    @Test
    void aCallerThatKeepsWhatItCompilesGetsItCompiledOnceAndItsFailureAsAFinding() {
        PolicyBundle bundle = PolicyBundle.of(Map.of("ok.drl", (HEADER + """
                rule "notes" when Action(surface == "jdbc", targetsWithin("notes")) then verdict.permit("notes"); end
                """).getBytes(StandardCharsets.UTF_8)));
        List<PolicyBundle> compiled = new java.util.ArrayList<>();
        RulesLinter linter = new RulesLinter(FactVocabulary.installedModules());

        RulesLinter.Report report = linter.lint(bundle, candidate -> {
            compiled.add(candidate);
            return "the compiler's version";
        });
        assertThat(compiled).containsExactly(bundle);
        assertThat(report.version()).isEqualTo("the compiler's version");

        RulesLinter.Report failed = linter.lint(bundle, candidate -> {
            throw new dev.warden.rules.PolicyCompilationException("ok.drl:4: no such thing");
        });
        assertThat(lines(failed)).containsExactly("error: does not compile: ok.drl:4: no such thing");
        assertThat(failed.version()).isNull();
    }

    @Test
    void brokenYamlIsReportedFileByFileAndNotCompiled() {
        PolicyBundle bundle = PolicyBundle.of(Map.of("roles.yaml", "policies: [".getBytes(StandardCharsets.UTF_8)));
        List<PolicyBundle> compiled = new java.util.ArrayList<>();

        RulesLinter.Report report = new RulesLinter(FactVocabulary.installedModules()).lint(bundle, candidate -> {
            compiled.add(candidate);
            return "never";
        });
        assertThat(compiled).isEmpty();
        assertThat(report.errors()).isPositive();
        assertThat(report.findings()).allSatisfy(finding -> assertThat(finding.file()).isEqualTo("roles.yaml"));
    }

    @Test
    void surfacesOperationsAttributesAndContextFactsThatDoNotExistAreErrorsWithWhatWasMeant() {
        RulesLinter.Report report = lint("typos.drl", HEADER + """
                rule "a"
                when
                    Action(surface == "jbdc")
                then
                    verdict.deny("x");
                end
                rule "b"
                when
                    Action(surface == "jdbc", operation == "select", text("sql.tabels") != "")
                then
                    verdict.deny("x");
                end
                rule "c"
                when
                    $a : Action(surface == "http", operation == "GET", targetsWithin("api.example.com"), stateNumber("budget.dialy.spent") > 1)
                then
                    verdict.permit("x " + $a.text("sql.shape"));
                end
                """, "budgets.yaml", "budgets: [{name: daily, per: actor, tokens: 1000, window: 1d}]\n");

        assertThat(lines(report)).containsExactly(
                "typos.drl:6: error: rule \"a\": unknown surface 'jbdc' (did you mean 'jdbc'?); the surfaces are file, http, jdbc, jvm, model, native, net, process, tool",
                "typos.drl:12: error: rule \"b\": operation 'select' never occurs on jdbc (did you mean 'SELECT'?); jdbc operations: CALL, DDL, DELETE, INSERT, MERGE, OTHER, SELECT, UPDATE, USE: the rule can never fire",
                "typos.drl:12: error: rule \"b\": text(\"sql.tabels\"): unknown attribute 'sql.tabels' (did you mean 'sql.tables'?) on jdbc",
                "typos.drl:18: error: rule \"c\": unknown context fact 'budget.dialy.spent' in stateNumber(...) (did you mean 'budget.daily.spent'?); the policy's facts: budget.daily.spent, session.labels, usage.actor.total, usage.session.total",
                "typos.drl:20: error: rule \"c\": text(\"sql.shape\"): no http action has the attribute 'sql.shape' (it is jdbc's)");
        assertThat(report.errors()).isEqualTo(5);
    }

    @Test
    void anOperationOfAnotherSurfaceMeansTheRuleCanNeverFire() {
        RulesLinter.Report report = lint("x.drl", HEADER + """
                rule "reads"
                when
                    Action(surface == "jdbc", operation == "GET", targets contains "notes")
                then
                    verdict.deny("x");
                end
                """);

        assertThat(lines(report)).singleElement().asString()
                .contains("operation 'GET' never occurs on jdbc", "(it is an operation of http)", "the rule can never fire");
    }

    /** Found by a fifth review (2026-12-06): tier scopes were not linted, and a misspelt one held nothing. */
    @Test
    void tierScopesAreLintedAndAnApprovalsTierNoTierDefinesIsNamed() {
        RulesLinter.Report report = lint("approvers/a1.pem", """
                -----BEGIN PUBLIC KEY-----
                MCowBQYDK2VwAyEA8ARb+6TZMZwRIQzDcYuuyo54NAs76+5sRpWbQOIfgkE=
                -----END PUBLIC KEY-----
                """, "t.yaml", """
                tiers:
                  T2: [jdbc:invoices:delet, nosuch:x:y, "jdbc:\\"Invoice\\":delete"]
                approvals:
                  approvers: approvers/
                  T2: {approvers: 1}
                  T3: {approvers: 1}
                """);

        assertThat(lines(report)).containsExactly(
                "t.yaml:2: error: tier T2 holds 'jdbc:invoices:delet': jdbc has no operation 'delet' (did you mean 'delete'?); its operations: call, ddl, delete, insert, merge, other, select, update, use: the scope never matches",
                "t.yaml:2: error: tier T2 holds 'nosuch:x:y': unknown surface 'nosuch'; the surfaces are file, http, jdbc, jvm, model, native, net, process, tool",
                "t.yaml:6: warning: approvals for T3: no tiers: entry defines T3, so no scope gives an action that tier (only a DRL rule's setTier(3) does): check the tier's name");
    }

    @Test
    void aTierScopeWithoutAnOperationDoesNotLoad() {
        RulesLinter.Report report = lint("t.yaml", """
                tiers:
                  T2: [jdbc:invoices]
                """);

        assertThat(lines(report)).singleElement().asString()
                .contains("tiers, T2: scope 'jdbc:invoices' never matches: a jdbc scope is jdbc:TARGET:OPERATION");
    }

    /** Found by a fifth review (2026-12-06): an unquoted cased table is read in lower case; an http scope has no port. */
    @Test
    void anUnquotedCasedTableIsAnErrorAndALocalHostWithoutAPortIsWorthASecondLook() {
        RulesLinter.Report report = lint("r.yaml", """
                policies:
                  - role: assistant
                    allow: [jdbc:rv_Invoice:select, "jdbc:public.\\"Invoice\\":select", http:127.0.0.1:get, http:api.example.com:get]
                    deny: [jdbc:Public.Notes:delete]
                actors:
                  agent: [assistant]
                """);

        assertThat(lines(report)).containsExactly(
                "r.yaml:3: error: role 'assistant' allows 'jdbc:rv_Invoice:select': 'rv_Invoice' is read in lower case (rv_invoice), never as a table whose name has upper-case letters, which Warden lists with its quotes: write \"rv_Invoice\" for that table (each part of a qualified name in its own quotes), or rv_invoice",
                "r.yaml:3: warning: role 'assistant' allows 'http:127.0.0.1:get': a scope names no port, so this allows every service on 127.0.0.1 (an admin port beside the one meant too); pin the port with a DRL rule on url.port instead",
                "r.yaml:4: error: role 'assistant' denies 'jdbc:Public.Notes:delete': 'Public.Notes' is read in lower case (public.notes), never as a table whose name has upper-case letters, which Warden lists with its quotes: write \"Public.Notes\" for that table (each part of a qualified name in its own quotes), or public.notes");
    }

    @Test
    void scopesAreParsedAgainstTheSurfacesAndARoleOrLimitBelongsToOneFile() {
        RulesLinter.Report report = lint(
                "a.yaml", """
                        policies:
                          - role: support
                            allow: [jdbc:notes:selct, jdbc:*:select, jdbx:notes:select, jdbc:notes, jdbc:notes:select:pii]
                        actors:
                          bot: [support]
                        limits:
                          - {name: per-minute, max: 10, window: 1m, scopes: ["http:*:pots"]}
                        """,
                "b.yaml", """
                        policies:
                          - role: support
                            allow: [jdbc:notes:delete]
                        limits:
                          - {name: per-minute, max: 5, window: 1m}
                        """);

        assertThat(lines(report)).containsExactly(
                "a.yaml:2: error: role 'support' is also defined in b.yaml: a role belongs to one file (the agent refuses to start with both)",
                "a.yaml:3: error: role 'support' allows 'jdbc:notes': never matches: a jdbc scope is jdbc:TARGET:OPERATION (write jdbc:notes:* for every operation)",
                "a.yaml:3: error: role 'support' allows 'jdbc:notes:selct': jdbc has no operation 'selct' (did you mean 'select'?); its operations: call, ddl, delete, insert, merge, other, select, update, use: the scope never matches",
                "a.yaml:3: error: role 'support' allows 'jdbx:notes:select': unknown surface 'jdbx' (did you mean 'jdbc'?); the surfaces are file, http, jdbc, jvm, model, native, net, process, tool",
                "a.yaml:3: warning: role 'support' allows 'jdbc:*:select': every jdbc target is permitted; name the targets the role needs",
                "a.yaml:3: warning: role 'support' allows 'jdbc:notes:select:pii' requires the label 'pii', which no rule attaches: the scope never matches",
                "a.yaml:7: error: limit per-minute is also defined as b.yaml limit per-minute: each name belongs to one definition",
                "a.yaml:7: warning: limit 'per-minute' counts 'http:*:pots': 'pots' is not a http operation Warden knows (did you mean 'post'?)",
                "b.yaml:2: error: role 'support' is also defined in a.yaml: a role belongs to one file (the agent refuses to start with both)",
                "b.yaml:2: warning: role 'support' is held by no actor: it neither permits nor denies",
                "b.yaml:5: error: limit per-minute is also defined as a.yaml limit per-minute: each name belongs to one definition");
        assertThat(report.version()).as("broken YAML is not compiled again").isNull();
    }

    @Test
    void permitsThatDoNotRestrictTheirTargetAndLabelsNoRuleAttachesAreWarnings() {
        RulesLinter.Report report = lint("w.drl", HEADER + """
                rule "any model"
                when
                    Action(surface == "model")
                then
                    verdict.permit("x");
                end
                rule "one host"
                when
                    Action(surface == "http", text("url.host") == "api.example.com", hasLabel("intern"))
                then
                    verdict.permit("x");
                end
                rule "label" salience 10
                when
                    $a : Action(surface == "http", !hasLabel("internal"))
                then
                    modify($a) { label("internal") }
                end
                """);

        assertThat(lines(report)).containsExactly(
                "w.drl:8: warning: rule \"any model\" permits without restricting the target (no target, targets, targetsWithin, targetsUnder or attribute naming the target): it permits every target of model",
                "w.drl:12: warning: rule \"one host\": no rule attaches the label 'intern' (did you mean 'internal'?), so hasLabel(\"intern\") is never true");
        assertThat(report.errors()).isZero();
    }

    @Test
    void aLabelHoldingACommaIsAnError() {
        RulesLinter.Report report = lint("c.drl", HEADER + """
                rule "label"
                when
                    $a : Action(surface == "jdbc", !hasLabel("pii,internal"))
                then
                    modify($a) { label("pii,internal") }
                end
                """);

        assertThat(lines(report)).containsExactly(
                "c.drl:8: error: rule \"label\": the label 'pii,internal' holds a comma, so the rule throws and refuses every action it labels (a receipt keeps labels joined with commas)");
        assertThat(report.errors()).isOne();
    }

    /** Found by a fifth review (2026-12-06): a masking permit granted crm_read to an actor no role allows it to. */
    @Test
    void aPermitForEveryActorOfWhatTheRolesGovernIsAWarning() {
        RulesLinter.Report report = lint("roles.yaml", """
                policies:
                  - role: rep
                    allow: [tool:crm:read, jdbc:orders:select]
                actors:
                  rita: [rep]
                """, "m.drl", HEADER + """
                rule "CRM results are masked"
                when
                    Action(surface == "tool", operation == "crm_read")
                then
                    verdict.permit("masked").maskPii();
                end
                rule "CRM results are masked, as an obligation"
                when
                    Action(surface == "tool", operation == "crm_read")
                then
                    verdict.oblige("masked").maskPii();
                end
                rule "the bot reads the CRM"
                when
                    Action(surface == "tool", operation == "crm_read", actor == "bot")
                then
                    verdict.permit("the bot");
                end
                rule "mail is no role's"
                when
                    Action(surface == "tool", operation == "email_send")
                then
                    verdict.permit("mail");
                end
                rule "notes"
                when
                    Action(surface == "jdbc", operation == "SELECT", targetsWithin("notes"))
                then
                    verdict.permit("notes");
                end
                """);

        assertThat(lines(report)).containsExactly(
                "m.drl:8: warning: rule \"CRM results are masked\" permits the tool crm_read for every actor, which the YAML roles also govern: "
                        + "the permit grants it to actors and users no role allows it to (past the intersection of an agent's and its user's roles); "
                        + "to attach obligations to what the roles permit, write verdict.oblige(...), which grants nothing, or restrict the rule's actor",
                "m.drl:32: warning: rule \"notes\" permits actions on jdbc for every actor, which the YAML roles also govern: "
                        + "the permit grants it to actors and users no role allows it to (past the intersection of an agent's and its user's roles); "
                        + "to attach obligations to what the roles permit, write verdict.oblige(...), which grants nothing, or restrict the rule's actor");
        assertThat(report.errors()).isZero();
    }

    @Test
    void ruleHelpersComeFromTheFactModelsAnnotations() {
        FactVocabulary vocabulary = FactVocabulary.of(FactVocabulary.installedModules(), java.util.Set.of());

        assertThat(vocabulary.attributeHelpers()).containsExactly("attribute", "flag", "names", "number", "text");
        assertThat(vocabulary.stateHelpers()).containsExactly("state", "stateHas", "stateNumber");
    }
}
