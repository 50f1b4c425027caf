package dev.warden.e2e;

import dev.warden.e2e.host.InvoiceHost;
import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the agent puts in an action reaches the operators', approvers' and auditors' terminals only as
 * visible text. A review (2026-12-06) redrew an approval request with escape sequences (the approver saw
 * {@code -f scratch.tmp} while approving {@code rm -rf important}) and forged rows with line breaks. Here
 * a host JVM's model calls a tool whose name holds escape sequences, CR/LF, a bidi override and a bell; the
 * call is held for approval; then the CLIs run as people run them: {@code warden-agent.jar approvals
 * list}, {@code approve}, {@code explain}, and {@code warden-verify show}, {@code query}, {@code approvals}.
 */
@SameOnEveryJdk
class TerminalSafeCliEndToEndTest {

    /** Erase the line, back to its start, up a line, write something else; a new line; reverse what follows. */
    private static final String HOSTILE = "important\u001b[2K\u001b[G\u001b[1A-f scratch.tmp\r\nforged row\u202eevil\u0007";
    /**
     * A tool that is not {@code send_email}: its {@code а} is Cyrillic (U+0430). Shown as it is, the approver read
     * {@code send_email} (an eighth review, 2026-12-07).
     */
    private static final String LOOK_ALIKE = "send_em\u0430il";
    private static final Pattern AWAITING = Pattern.compile("awaiting approval ([0-9a-f-]{36})");

    @TempDir
    static Path workspace;

    private static Receipts store;
    private static HostJvm.Result host;
    private static String request;
    private static Receipt held;

    @BeforeAll
    static void theAgentCallsAToolNamedToFoolATerminal() throws Exception {
        Path rules = Files.createDirectories(workspace.resolve("rules").resolve("approvers"));
        Ed25519Keys.generate(workspace.resolve("a1.pem"), rules.resolve("a1.pem"));
        Files.writeString(rules.resolveSibling("tools.yaml"), """
                policies:
                  - role: assistant
                    allow: ["tool:**", "model:**"]
                actors:
                  invoice-assistant: [assistant]
                  ulla: [assistant]
                tiers:
                  T2: ["tool:**"]
                approvals:
                  approvers: approvers/
                  T2: {approvers: 1}
                """);
        store = Receipts.in(workspace);
        host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules.getParent()).with("surfaces=tool,model")
                .with("actor=invoice-assistant").env("LC_ALL", "C.UTF-8") // the look-alike's name reaches the host whole
                .run(InvoiceHost.class, List.of(workspace.resolve("db").toString(), "ask:s1:invoice_delete" + HOSTILE + ":{\"id\":7}",
                        "ask:s2:" + LOOK_ALIKE + ":{\"to\":\"ceo@example.com\"}"));
        Matcher awaiting = AWAITING.matcher(host.stdout());
        assertThat(awaiting.find()).as(host.toString()).isTrue();
        request = awaiting.group(1);
        held = store.all().stream().filter(r -> r.outcome().equals("HOLD")).findFirst().orElseThrow();
    }

    @Test
    void theToolCallWasHeldAndTheLogVerifies() {
        assertThat(host.stdout()).contains("error=true result=warden: held for approval");
        assertThat(held.target()).as("the receipt holds the name as the model gave it").contains("\u001b[2K", "\r\n", "\u202e");
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    @Test
    void theApproverSeesTheHeldRequestEscapedOnItsOwnLines() throws Exception {
        ApproverCli.Result list = ApproverCli.cli("approvals", "list", "--receipts", store.directory().toString(),
                "--public-key", store.publicKey().toString());
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertShownSafely(list.output());
        assertThat(list.output()).contains("    would do: tool invoice_delete").contains(shown());
        assertThat(list.output().lines().filter(line -> line.startsWith("    would do: ")).count())
                .as("one line for each of the two requests").isEqualTo(2);
        assertThat(list.output().lines()).noneMatch(line -> line.startsWith("forged row"));

        ApproverCli.Result approve = ApproverCli.cli("approve", request, "--key", workspace.resolve("a1.pem").toString(),
                "--receipts", store.directory().toString(), "--public-key", store.publicKey().toString());
        assertThat(approve.exitCode()).as(approve.output()).isZero();
        assertShownSafely(approve.output());
        assertThat(approve.output()).startsWith("approved request " + request).contains(shown());
    }

    @Test
    void explainShowsTheDecisionEscaped() throws Exception {
        ApproverCli.Result explain = ApproverCli.cli("explain", String.valueOf(held.sequence()), "--receipts", store.directory().toString());
        assertThat(explain.exitCode()).as(explain.output()).isZero();
        assertShownSafely(explain.output());
        assertThat(explain.output()).contains("action    tool invoice_delete").contains(shown());
    }

    @Test
    void theAuditorsShowQueryAndApprovalsShowEveryValueEscaped() throws Exception {
        long receipts = store.all().size();
        ApproverCli.Result show = ApproverCli.exec(HostJvm.verifierCli("show", store.directory().toString(), held.id()));
        ApproverCli.Result query = ApproverCli.exec(HostJvm.verifierCli("query", store.directory().toString()));
        ApproverCli.Result approvals = ApproverCli.exec(HostJvm.verifierCli("approvals", store.directory().toString()));
        for (ApproverCli.Result result : List.of(show, query, approvals)) {
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertShownSafely(result.output());
            assertThat(result.output()).contains(shown());
        }
        assertThat(show.output().lines().filter(line -> line.startsWith("action         "))).singleElement().asString().contains(shown());
        assertThat(query.output().lines().count()).as("one line per receipt and the tally: no forged rows").isEqualTo(receipts + 1);
    }

    /**
     * A word mixing Latin and Cyrillic letters (a look-alike of {@code email}) is shown with its letters beyond ASCII
     * escaped, by the approvers' list and by the verifier's {@code approvals} and {@code show}; the receipt holds the name
     * as the model gave it. On the previous build all three showed {@code send_emаil}.
     */
    @Test
    void aLookAlikeOfAWordIsShownWithItsForeignLettersEscaped() throws Exception {
        Receipt mail = store.all().stream().filter(r -> r.outcome().equals("HOLD") && r.target().equals(LOOK_ALIKE))
                .findFirst().orElseThrow();
        ApproverCli.Result list = ApproverCli.cli("approvals", "list", "--receipts", store.directory().toString(),
                "--public-key", store.publicKey().toString());
        ApproverCli.Result approvals = ApproverCli.exec(HostJvm.verifierCli("approvals", store.directory().toString()));
        ApproverCli.Result show = ApproverCli.exec(HostJvm.verifierCli("show", store.directory().toString(), mail.id()));
        for (ApproverCli.Result result : List.of(list, approvals, show)) {
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).doesNotContain(LOOK_ALIKE).contains("send_em\\u0430il");
        }
        assertThat(list.output()).contains("    would do: tool send_em\\u0430il on send_em\\u0430il");
    }

    /** The hostile text as the CLIs show it: every control and the bidi override a visible escape. */
    private static String shown() {
        return "important\\u001b[2K\\u001b[G\\u001b[1A-f scratch.tmp\\r\\nforged row\\u202eevil\\u0007";
    }

    /** No character that acts on a terminal or hides: only line breaks end lines. */
    private static void assertShownSafely(String output) {
        for (int i = 0; i < output.length(); i++) {
            char c = output.charAt(i);
            int type = Character.getType(c);
            boolean acts = c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            assertThat(acts).as("U+%04X at %d of:\n%s", (int) c, i, output).isFalse();
        }
    }
}
