package dev.warden.verifier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** show, query, export, prove and verify-proof on a real log. */
class BrowseCommandsTest {
    @TempDir
    static Path tmp;
    static SampleLog log;

    @BeforeAll
    static void writeLog() throws Exception {
        log = SampleLog.write(tmp.resolve("receipts"));
    }

    @Test
    void showPrintsOneReceiptByIdOrSequence() {
        String id = log.receipt(2).id();

        Cli byId = Cli.run("show", log.directory(), id);
        Cli bySequence = Cli.run("show", log.directory(), "2");

        assertThat(byId.exitCode()).isZero();
        assertThat(byId.out()).contains("receipt        " + id, "outcome        DENY", "rules          no-bulk-export",
                "hash           " + log.receipt(2).hash());
        assertThat(bySequence.out()).isEqualTo(byId.out());
    }

    @Test
    void showJsonIsTheCanonicalReceipt() {
        Cli cli = Cli.run("show", log.directory(), "2", "--json");

        assertThat(cli.out()).isEqualTo(new String(log.receipt(2).canonicalBytes()) + "\n");
    }

    @Test
    void showOfAnUnknownIdIsAUsageError() {
        Cli cli = Cli.run("show", log.directory(), "no-such-id");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("no receipt no-such-id");
    }

    @Test
    void queryCombinesFilters() {
        Cli denied = Cli.run("query", log.directory(), "--outcome", "DENY", "--json");
        Cli deniedSupport = Cli.run("query", log.directory(), "--outcome", "DENY", "--actor", "support-bot");
        Cli httpInAWindow = Cli.run("query", log.directory(), "--surface", "http",
                "--from", "2026-11-22T09:00:04Z", "--to", "2026-11-22T09:00:09Z");
        Cli byRule = Cli.run("query", log.directory(), "--rule", "no-bulk-export");

        assertThat(denied.out().lines()).hasSize(3).allMatch(l -> l.contains("\"outcome\":\"DENY\""));
        assertThat(listed(deniedSupport)).hasSize(2).allMatch(l -> l.contains("support-bot") && l.contains("DENY"));
        assertThat(listed(httpInAWindow)).hasSize(1).allMatch(l -> l.startsWith("5  "));
        assertThat(listed(byRule)).hasSize(3);
        assertThat(byRule.out().lines().reduce((a, b) -> b)).contains("3 receipts: 0 permitted, 3 refused");
    }

    @Test
    void queryFiltersBySessionAndByTheUserTheAgentActedFor() {
        Cli deniedInSession = Cli.run("query", log.directory(), "--session", "s-1", "--outcome", "DENY");
        Cli forAlice = Cli.run("query", log.directory(), "--on-behalf-of", "alice@example.com");
        Cli forBob = Cli.run("query", log.directory(), "--on-behalf-of", "bob@example.com");

        assertThat(listed(deniedInSession)).hasSize(2).allMatch(l -> l.contains(" for alice@example.com [s-1]  "));
        assertThat(listed(forAlice)).hasSize(10);
        assertThat(forAlice.out().lines().reduce((a, b) -> b)).contains("10 receipts: 7 permitted, 3 refused");
        assertThat(forBob.out()).isEqualTo("0 receipts: 0 permitted, 0 refused\n");
    }

    @Test
    void exportJsonLinesIsOneCanonicalReceiptPerLine() {
        Cli cli = Cli.run("export", log.directory(), "--format", "jsonl");

        assertThat(cli.out().lines()).hasSize(10);
        assertThat(cli.out().lines().findFirst()).contains(new String(log.receipt(0).canonicalBytes()));
    }

    @Test
    void exportCsvHasAHeaderAndQuotesWhereNeeded() {
        Cli cli = Cli.run("export", log.directory(), "--format", "csv");

        assertThat(cli.out().lines()).hasSize(11);
        assertThat(cli.out().lines().findFirst().orElseThrow()).startsWith("seq,id,time,actor,onBehalfOf,session,surface,operation,target,outcome");
        assertThat(cli.out().lines().skip(3).findFirst().orElseThrow())
                .startsWith("2," + log.receipt(2).id() + ",2026-11-22T09:00:02Z,support-bot,")
                .endsWith(log.receipt(2).hash() + ",1");
    }

    @Test
    void aProofFromProveChecksOutOffline() throws Exception {
        Cli prove = Cli.run("prove", log.directory(), log.receipt(6).id());
        Path proof = Files.writeString(tmp.resolve("proof.json"), prove.out());

        Cli check = Cli.run("verify-proof", proof, "--public-key", log.publicKey());

        assertThat(prove.exitCode()).as(prove.err()).isZero();
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).isEqualTo("VALID: receipt 6 is included in the signed tree of 10\n");
    }

    @Test
    void aProofWithAnEditedReceiptFails() throws Exception {
        String original = Cli.run("prove", log.directory(), "6").out();
        String proof = original.replace("support-bot", "billing-bot");
        assertThat(proof).isNotEqualTo(original);
        Path file = Files.writeString(tmp.resolve("edited-proof.json"), proof);

        Cli check = Cli.run("verify-proof", file, "--public-key", log.publicKey());

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).isEqualTo("INVALID: the inclusion path does not lead from the receipt to the signed root\n");
    }

    @Test
    void aProofUnderAnotherKeyFails() throws Exception {
        Path proof = Files.writeString(tmp.resolve("proof-other-key.json"), Cli.run("prove", log.directory(), "1").out());
        dev.warden.receipts.Ed25519Keys.generate(tmp.resolve("k.pem"), tmp.resolve("k.pub.pem"));

        Cli check = Cli.run("verify-proof", proof, "--public-key", tmp.resolve("k.pub.pem"));

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).contains("not signed by the given public key");
    }

    @Test
    void queryAndExportCountEveryRefusalACountedReceiptStandsFor() throws Exception {
        Path directory = tmp.resolve("bursts");
        String first = "01935f3c-7b2a-7000-8000-000000000100";
        try (dev.warden.receipts.ReceiptLog burst = dev.warden.receipts.ReceiptLog.open(
                dev.warden.receipts.ReceiptLogOptions.defaults(directory).withOrigin("warden/test"))) {
            burst.archivePolicy(SampleLog.POLICY_VERSION, SampleLog.POLICY);
            burst.append(refusal(first, java.util.Map.of()));
            burst.append(refusal("01935f3c-7b2a-7000-8000-000000000101", java.util.Map.of(
                    dev.warden.receipts.Repeats.REPEATED, "41",
                    dev.warden.receipts.Repeats.FROM, "2026-11-22T09:00:00.100Z",
                    dev.warden.receipts.Repeats.TO, "2026-11-22T09:00:00.900Z",
                    dev.warden.receipts.Repeats.BURST, first)));
        }

        Cli query = Cli.run("query", directory);
        Cli json = Cli.run("query", directory, "--json");
        Cli csv = Cli.run("export", directory, "--format", "csv");

        assertThat(query.out().lines().skip(1).findFirst().orElseThrow())
                .endsWith("  x41 repeated 2026-11-22T09:00:00.100Z..2026-11-22T09:00:00.900Z (burst of " + first + ")");
        assertThat(query.out().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("2 receipts: 0 permitted, 42 refused (41 of them repeats counted in 1 receipts)");
        assertThat(json.out().lines()).hasSize(2);
        assertThat(json.out().lines().skip(1).findFirst().orElseThrow()).contains("\"warden.repeated\":\"41\"");
        assertThat(csv.out().lines().skip(1).map(l -> l.substring(l.lastIndexOf(',') + 1)).toList()).containsExactly("1", "41");
    }

    /** A second reading: a tool name the model chose was opened by a spreadsheet as a live HYPERLINK formula. */
    @Test
    void exportCsvNeverStartsAFieldWithWhatASpreadsheetTakesForAFormula() throws Exception {
        Path directory = tmp.resolve("formulas");
        try (dev.warden.receipts.ReceiptLog formulas = dev.warden.receipts.ReceiptLog.open(
                dev.warden.receipts.ReceiptLogOptions.defaults(directory).withOrigin("warden/test"))) {
            formulas.archivePolicy(SampleLog.POLICY_VERSION, SampleLog.POLICY);
            formulas.append(new dev.warden.receipts.ReceiptDraft("01935f3c-7b2a-7000-8000-000000000200", SampleLog.T0, "support-bot",
                    null, "s-1", "tool", "+HYPERLINK(\"https://evil.example/\",\"ok\")", "@SUM(1)",
                    "46c12ee32be5ac487d4a17832653bca0c614ba40a7d1b5f99508f346b6f12289", java.util.Map.of(), "SILENCE", true,
                    java.util.List.of(), "=1+1", java.util.Map.of(), SampleLog.POLICY_VERSION));
        }

        String row = Cli.run("export", directory, "--format", "csv").out().lines().skip(1).findFirst().orElseThrow();

        assertThat(row).contains(",\"'+HYPERLINK(\"\"https://evil.example/\"\",\"\"ok\"\")\",", ",'@SUM(1),")
                .doesNotContain(",+", ",@", ",=");
    }

    private static dev.warden.receipts.ReceiptDraft refusal(String id, java.util.Map<String, String> summary) {
        return new dev.warden.receipts.ReceiptDraft(id, SampleLog.T0, "support-bot", null, "s-1", "http", "POST", "127.0.0.1",
                "46c12ee32be5ac487d4a17832653bca0c614ba40a7d1b5f99508f346b6f12289", summary, "SILENCE", true,
                java.util.List.of(), "no rule permits it", java.util.Map.of(), SampleLog.POLICY_VERSION);
    }

    /** The receipts a human-readable query listed: every line but the summary. */
    private static java.util.List<String> listed(Cli cli) {
        java.util.List<String> lines = cli.out().lines().toList();
        return lines.subList(0, lines.size() - 1);
    }
}
