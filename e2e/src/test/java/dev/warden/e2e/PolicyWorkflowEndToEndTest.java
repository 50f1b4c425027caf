package dev.warden.e2e;

import dev.warden.e2e.host.JdbcHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security team's workflow on real receipts (scenario S15): lint a rules directory, run policy tests
 * offline, replay the recorded decisions against a candidate, explain decisions a host's agent recorded,
 * and query them. One host run records a PERMIT with
 * obligations, a DENY and a SILENCE; a second shows that a role defined twice stops the agent at start.
 */
@SameOnEveryJdk
class PolicyWorkflowEndToEndTest {

    @TempDir
    static Path workspace;
    static Path rules;
    static Receipts receipts;
    static HostJvm.Result host;

    /** The e2e JDBC pack (classification, guardrails, the driver's files) and a role policy for the support bot. */
    @BeforeAll
    static void recordADay() throws Exception {
        rules = Files.createDirectories(workspace.resolve("rules"));
        try (Stream<Path> pack = Files.list(Receipts.rules("jdbc"))) {
            for (Path file : pack.toList()) {
                Files.copy(file, rules.resolve(file.getFileName()));
            }
        }
        Files.writeString(rules.resolve("roles.yaml"), """
                policies:
                  - role: support
                    allow: [jdbc:orders:select, jdbc:orders:insert]
                actors:
                  support-bot: [support]
                """);
        String url = "jdbc:h2:file:" + workspace.resolve("shop");
        Fixtures.createShop(url, "sa", "");
        receipts = Receipts.in(Files.createDirectories(workspace.resolve("run")));
        host = HostJvm.withAgent(receipts.agentArguments()).with("rules=" + rules).with("actor=support-bot")
                .run(JdbcHost.class, List.of(url, "sa", "",
                        "query:SELECT * FROM customers WHERE id = 1",
                        "query:SELECT * FROM orders WHERE 1=1",
                        "update:DELETE FROM orders WHERE id = 2"));
        assertThat(host.exitCode()).as(host.toString()).isZero();
    }

    @Test
    void theHostSawAPermitWithObligationsADenyAndASilenceThatNamesTheMissingScope() throws Exception {
        assertThat(host.step(0)).startsWith("OK step=0").contains("email=[REDACTED]");
        assertThat(host.step(1)).startsWith("DENIED step=1").contains("denied by tautologies");
        assertThat(host.step(2)).startsWith("DENIED step=2")
                .contains("no rule permits jdbc DELETE on orders: no role of support-bot (support) permits jdbc:orders:delete");
        assertThat(receipts.verify().exitCode()).as(receipts.verify().output()).isZero();
    }

    @Test
    void lintCatchesEachTypoThatCompilesAndARoleDefinedTwice() throws Exception {
        Path typos = Files.createDirectories(workspace.resolve("typos"));
        Files.writeString(typos.resolve("deny.drl"), """
                package typos;
                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "no deletes"
                when
                    Action(surface == "jbdc", operation == "DELETE")
                then
                    verdict.deny("no deletes");
                end

                rule "no private hosts"
                when
                    Action(surface == "http", text("url.hots") == "10.0.0.1")
                then
                    verdict.deny("no private hosts");
                end
                """);
        Files.writeString(typos.resolve("support.yaml"), """
                policies:
                  - role: support
                    allow: [jdbc:notes:selct]
                actors:
                  support-bot: [support]
                """);
        Files.writeString(typos.resolve("stale.yaml"), """
                policies:
                  - role: support
                    allow: [jdbc:notes:delete]
                """);

        Cli lint = cli("check-rules", typos.toString());
        HostJvm.Result refused = HostJvm.withAgent("rules=" + typos, "receipts=" + workspace.resolve("refused"))
                .run(JdbcHost.class, List.of("jdbc:h2:mem:x", "sa", "", "query:SELECT 1"));

        assertThat(lint.exitCode()).as(lint.output() + lint.errors()).isEqualTo(1);
        assertThat(lint.output()).contains(
                "deny.drl:7: error: rule \"no deletes\": unknown surface 'jbdc' (did you mean 'jdbc'?)",
                "deny.drl:14: error: rule \"no private hosts\": text(\"url.hots\"): unknown attribute 'url.hots' (did you mean 'url.host'?)",
                "support.yaml:3: error: role 'support' allows 'jdbc:notes:selct': jdbc has no operation 'selct' (did you mean 'select'?)",
                "stale.yaml:2: error: role 'support' is also defined in support.yaml",
                "support.yaml:2: error: role 'support' is also defined in stale.yaml");
        // Rules that do not compile (S10): the host runs, and every action is refused naming why.
        assertThat(refused.exitCode()).as(refused.toString()).isZero();
        assertThat(refused.stderr()).contains("role 'support' is defined in stale.yaml and support.yaml",
                "every action is refused until a version that compiles is loaded");
        assertThat(refused.step(0)).contains("DENIED step=0", "policy did not compile",
                "role 'support' is defined in stale.yaml and support.yaml");
    }

    @Test
    void policyTestsPassAndFailWithExitCodesJUnitXmlAndTheRulesNoTestExercised() throws Exception {
        Path tests = Files.createDirectories(workspace.resolve("tests"));
        Files.writeString(tests.resolve("support.yaml"), """
                tests:
                  - name: PII reads are limited and redacted
                    action:
                      surface: jdbc
                      actor: support-bot
                      attributes: {sql: "SELECT * FROM customers WHERE id = 1", db.product: H2}
                    expect:
                      outcome: PERMIT
                      rules: [PII reads are limited and redacted]
                      obligations: {maxRows: 1000, redact: [email, phone, ssn]}
                  - name: deleting orders is not granted
                    action:
                      surface: jdbc
                      actor: support-bot
                      attributes: {sql: "DELETE FROM orders WHERE id = 2"}
                    expect:
                      outcome: SILENCE
                      reason: "no role of support-bot (support) permits jdbc:orders:delete"
                  - name: a wrong expectation fails
                    action:
                      surface: jdbc
                      actor: support-bot
                      attributes: {sql: "SELECT * FROM orders WHERE 1=1"}
                    expect:
                      outcome: PERMIT
                """);
        Path junit = workspace.resolve("policy-tests.xml");
        Path badTests = Files.createDirectories(workspace.resolve("bad-tests"));
        Files.writeString(badTests.resolve("bad.yaml"), "tests:\n  - name: no expectation\n    action: {surface: jdbc}\n    expekt: {outcome: DENY}\n");

        Cli run = cli("test", rules.toString(), tests.toString(), "--junit", junit.toString());
        Cli bad = cli("test", rules.toString(), badTests.toString());

        assertThat(run.exitCode()).as(run.output() + run.errors()).isEqualTo(1);
        assertThat(run.output()).contains("PASS  support.yaml: PII reads are limited and redacted",
                "PASS  support.yaml: deleting orders is not granted", "FAIL  support.yaml: a wrong expectation fails",
                "outcome: expected PERMIT, got DENY", "3 tests, 2 passed, 1 failed", "rules no test exercised",
                "  orders may be added", "  role support allows");
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        NodeList failures = xml.getElementsByTagName("failure");
        assertThat(failures.getLength()).isEqualTo(1);
        assertThat(((Element) failures.item(0).getParentNode()).getAttribute("name")).isEqualTo("a wrong expectation fails");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errors()).contains("bad.yaml: test 'no expectation': unknown key 'expekt'");
    }

    /** A tests directory under review is input like any other: a sparse file of gigabytes, bytes that are no UTF-8. */
    @Test
    void policyTestsThatCannotBeReadAreABadTestFileNamedNotACrash() throws Exception {
        Path huge = Files.createDirectories(workspace.resolve("huge-tests"));
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.resolve("huge.yaml").toFile(), "rw")) {
            file.setLength(3L << 30); // sparse: nothing written
        }
        Path binary = Files.createDirectories(workspace.resolve("binary-tests"));
        Files.write(binary.resolve("binary.yaml"), new byte[] {'t', 'e', 's', 't', 's', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});

        Cli tooLong = cli("test", rules.toString(), huge.toString());
        Cli notText = cli("test", rules.toString(), binary.toString());

        assertThat(tooLong.exitCode()).as(tooLong.output() + tooLong.errors()).isEqualTo(2);
        assertThat(tooLong.errors()).contains("error: huge.yaml: huge.yaml holds 3221225472 bytes, more than the 4194304 it may: not read")
                .doesNotContain("Exception", "Error:");
        assertThat(notText.exitCode()).as(notText.output() + notText.errors()).isEqualTo(2);
        assertThat(notText.errors()).contains("error: binary.yaml: not UTF-8 text");
    }

    /** A candidate rules directory is input too: a sparse rules file of gigabytes is named, exit 2, not read whole. */
    @Test
    void aRulesFileOfGigabytesIsNamedNotACrash() throws Exception {
        Path candidate = Files.createDirectories(workspace.resolve("huge-rules"));
        try (Stream<Path> files = Files.list(rules)) {
            for (Path file : files.toList()) {
                Files.copy(file, candidate.resolve(file.getFileName()));
            }
        }
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(candidate.resolve("big.yaml").toFile(), "rw")) {
            file.setLength(3L << 30); // sparse: nothing written
        }

        Cli lint = cli("check-rules", candidate.toString());

        assertThat(lint.exitCode()).as(lint.output() + lint.errors()).isEqualTo(2);
        assertThat(lint.errors()).contains("big.yaml holds 3221225472 bytes, more than the 16777216 a rules file may: not read")
                .doesNotContain("Exception", "Error:");
    }

    @Test
    void explainShowsRulesWithTheirSourcesFactsObligationsAndWhatASilenceLacked() throws Exception {
        List<Receipt> jdbc = receipts.all().stream().filter(r -> r.surface().equals("jdbc")).toList();
        Receipt permit = only(jdbc, "PERMIT", "customers");
        Receipt deny = only(jdbc, "DENY", "orders");
        Receipt silence = only(jdbc, "SILENCE", "orders");

        Cli permitted = cli("explain", permit.id(), "--receipts", receipts.directory().toString());
        Cli denied = cli("explain", deny.id(), "--receipts", receipts.directory().toString());
        Cli silent = cli("explain", silence.id(), "--receipts", receipts.directory().toString());
        Cli unknown = cli("explain", "no-such-receipt", "--receipts", receipts.directory().toString());

        assertThat(permitted.exitCode()).as(permitted.output() + permitted.errors()).isZero();
        assertThat(permitted.output()).contains("outcome   PERMIT", "  maxRows = 1000", "  redact = email,phone,ssn",
                "  PII reads are limited and redacted", "access.drl:", "verdict.permit(\"customers holds PII",
                "  labels = pii", "  sql.shape = SELECT * FROM customers WHERE id = ?", "policy    " + permit.policyVersion());
        assertThat(denied.output()).contains("outcome   DENY", "  tautologies", "guardrails.drl:",
                "Action(surface == \"jdbc\", flag(\"sql.literalComparison\"))", "obligations none");
        assertThat(silent.output()).contains("outcome   SILENCE", "rules     none decided it", "to permit it",
                "  roles of support-bot: support", "  missing: no role of support-bot (support) permits jdbc:orders:delete");
        assertThat(unknown.exitCode()).isEqualTo(2);
    }

    @Test
    void queryTakesSeveralOutcomesRefusalsAndRejectsWhatIsNoOutcome() throws Exception {
        Cli both = verifier("query", receipts.directory().toString(), "--surface", "jdbc", "--outcome", "DENY", "--outcome", "SILENCE");
        Cli refused = verifier("query", receipts.directory().toString(), "--refused", "--actor", "support-bot");
        Cli denyOnly = verifier("query", receipts.directory().toString(), "--outcome", "DENY", "--rule", "tautologies");
        Cli usage = verifier("query", receipts.directory().toString(), "--outcome", "DENIED");
        Cli badTime = verifier("query", receipts.directory().toString(), "--from", "last tuesday");

        assertThat(rows(both)).hasSize(2).anyMatch(l -> l.contains("DENY")).anyMatch(l -> l.contains("SILENCE"));
        assertThat(both.output().lines().reduce((first, last) -> last)).hasValue("2 receipts: 0 permitted, 2 refused");
        assertThat(refused.output()).isEqualTo(both.output());
        assertThat(rows(denyOnly)).hasSize(1).allMatch(l -> l.contains("tautologies"));
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.output()).isEmpty();
        assertThat(usage.errors()).contains("unknown outcome 'DENIED'");
        assertThat(badTime.exitCode()).isEqualTo(2);
    }

    @Test
    void replayGroupsWhatACandidateWidensAndNarrowsAndFailsOnWideningUnlessAllowed() throws Exception {
        Path candidate = Files.createDirectories(workspace.resolve("candidate"));
        try (Stream<Path> files = Files.list(rules)) {
            for (Path file : files.toList()) {
                Files.copy(file, candidate.resolve(file.getFileName()));
            }
        }
        Files.writeString(candidate.resolve("roles.yaml"), Files.readString(rules.resolve("roles.yaml"))
                .replace("jdbc:orders:insert]", "jdbc:orders:insert, jdbc:orders:delete]"));
        Files.writeString(candidate.resolve("freeze.drl"), """
                package freeze;
                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "customers are frozen"
                when
                    Action(surface == "jdbc", targets contains "customers")
                then
                    verdict.deny("customer data is frozen for the audit");
                end
                """);
        Path broken = Files.createDirectories(workspace.resolve("broken-candidate"));
        Files.writeString(broken.resolve("broken.drl"), "package broken;\nrule \"half\" when Action( then end\n");
        String recorded = receipts.directory().toString();
        Receipt delete = only(receipts.all().stream().filter(r -> r.surface().equals("jdbc")).toList(), "SILENCE", "orders");

        Cli refused = cli("replay", recorded, "--rules", candidate.toString());
        Cli allowed = cli("replay", recorded, "--rules", candidate.toString(), "--allow-widening", "--json");
        Cli invalid = cli("replay", recorded, "--rules", broken.toString());

        assertThat(refused.exitCode()).as(refused.output() + refused.errors()).isEqualTo(1);
        assertThat(refused.output()).contains("DENY/SILENCE/HOLD -> PERMIT (widening): 1", "  " + delete.id() + "  ",
                "SILENCE -> PERMIT   (no rule) -> role support allows", "PERMIT -> DENY/SILENCE/HOLD (narrowing): 1",
                "PERMIT -> DENY   PII reads are limited and redacted -> customers are frozen",
                "jdbc: SQL literals and bound values are masked", "1 refusal(s) would become permits: exit 1");
        assertThat(refused.output()).doesNotContain("refused differently", "obligations changed", "rule changed");
        assertThat(allowed.exitCode()).as(allowed.output() + allowed.errors()).isZero();
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(allowed.output()).getAsJsonObject();
        assertThat(json.get("widens").getAsBoolean()).isTrue();
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        json.getAsJsonArray("groups").forEach(group -> counts.put(group.getAsJsonObject().get("kind").getAsString(),
                group.getAsJsonObject().get("count").getAsLong()));
        assertThat(counts).containsEntry("WIDENED", 1L).containsEntry("NARROWED", 1L).containsEntry("RULES", 0L);
        assertThat(json.getAsJsonArray("groups").get(0).getAsJsonObject().getAsJsonArray("examples").get(0).getAsJsonObject()
                .get("receipt").getAsString()).isEqualTo(delete.id());
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.errors()).contains("does not lint or compile");
        assertThat(invalid.output()).isEmpty();
    }

    /** The receipts a query listed, without its closing tally line. */
    private static List<String> rows(Cli query) {
        return query.output().lines().filter(l -> !l.matches("\\d+ receipts: .*")).toList();
    }

    private static Receipt only(List<Receipt> receipts, String outcome, String target) {
        List<Receipt> matching = receipts.stream().filter(r -> r.outcome().equals(outcome) && r.target().equals(target)).toList();
        assertThat(matching).as(outcome + " on " + target).hasSize(1);
        return matching.get(0);
    }

    /** What a command printed: {@code output} on stdout, {@code errors} on stderr (where JDK 25 also warns about Chronicle's Unsafe use). */
    private record Cli(int exitCode, String output, String errors) {
    }

    private static Cli cli(String... arguments) throws Exception {
        return exec(HostJvm.agentCli(arguments));
    }

    private static Cli verifier(String... arguments) throws Exception {
        return exec(HostJvm.verifierCli(arguments));
    }

    private static Cli exec(List<String> command) throws Exception {
        Path errors = Files.createTempFile(workspace, "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish: " + command);
        }
        return new Cli(process.exitValue(), output, Files.readString(errors));
    }
}
