package dev.warden.e2e;

import dev.warden.e2e.EgressServers.CountingHttpServer;
import dev.warden.e2e.host.HttpHost;
import dev.warden.e2e.host.ProcessHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approval binds the action as it is sent, not as rules or the approver's list show it. Found by a review
 * (2026-12-06): an HTTP request's digest bound its path cut at 2,048 characters and its query's keys, so the approval
 * of {@code /transfer?to=acme&amount=5} sent {@code ?to=mallory&amount=99999}; and a command's arguments were
 * digested sorted and joined with commas, so the approval of {@code cp f "f f"} ran {@code cp "f f" f}. Each attack
 * runs in a host JVM of its own after the approval, counted by the server and by the files on disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalsBindWhatIsSentEndToEndTest {

    private Path workspace;
    private Path files;
    private CountingHttpServer server;
    private Receipts store;
    private Path rules;
    private final List<HostJvm.Result> runs = new ArrayList<>();
    private final List<ApproverCli.Result> approvals = new ArrayList<>();
    private String longPath;

    @BeforeAll
    void approveOneOfEachThenSendAnother(@TempDir Path temporary) throws Exception {
        workspace = temporary;
        server = new CountingHttpServer();
        store = Receipts.in(workspace);
        rules = rules();
        files = Files.createDirectories(workspace.resolve("files"));
        Files.writeString(files.resolve("f"), "GOOD");
        Files.writeString(files.resolve("f f"), "EVIL");
        String api = "http://127.0.0.1:" + server.port();
        longPath = "/transfer/" + "x".repeat(2_100);

        // Run 0: three held requests, each approved by a1.
        HostJvm.Result asked = http("jdk|GET|" + api + "/transfer?to=acme&amount=5", "jdk|GET|" + api + longPath + "/to/acme");
        HostJvm.Result copy = process("pb-env-dir|" + files + "|/usr/bin/cp|f|f f");
        for (String request : List.of(ApproverCli.awaited(asked, 0), ApproverCli.awaited(asked, 1), ApproverCli.awaited(copy, 0))) {
            approvals.add(new ApproverCli(store, workspace.resolve("keys")).approve(request, "a1"));
        }

        // Then what the approvals must not cover, and what they do.
        http("jdk|GET|" + api + "/transfer?to=mallory&amount=99999", "jdk|GET|" + api + longPath + "/to/mallory",
                "jdk|GET|" + api + "/transfer?to=acme&amount=5", "jdk|GET|" + api + longPath + "/to/acme");
        process("pb-env-dir|" + files + "|/usr/bin/cp|f f|f");
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @Test
    void anApprovedRequestsQueryValuesAreBoundAnotherValueIsHeldAnew() {
        assertThat(approvals).allSatisfy(result -> assertThat(result.exitCode()).as(result.output()).isZero());
        HostJvm.Result other = runs.get(2);
        assertThat(other.step(0)).as(other.toString()).contains("awaiting approval").doesNotContain("OK");
        assertThat(server.requestsOf("/transfer?to=mallory&amount=99999")).as("the other payment never arrived").isZero();
        assertThat(other.step(2)).as(other.toString()).startsWith("OK step=2 ");
        assertThat(server.requestsOf("/transfer?to=acme&amount=5")).as("the approved one, once").isEqualTo(1);
    }

    @Test
    void aPathIsBoundWholeNotOnlyTheFirstTwoThousandCharactersRulesSee() {
        HostJvm.Result other = runs.get(2);
        assertThat(other.step(1)).as(other.toString()).contains("awaiting approval");
        assertThat(server.requests(longPath + "/to/mallory")).isZero();
        assertThat(other.step(3)).as(other.toString()).startsWith("OK step=3 ");
        assertThat(server.requests(longPath + "/to/acme")).isEqualTo(1);
    }

    @Test
    void anApprovedCommandsArgumentsAreBoundInOrderTheReversedCopyIsHeldAnew() throws Exception {
        HostJvm.Result reversed = runs.get(3);
        assertThat(reversed.step(0)).as(reversed.toString()).contains("awaiting approval");
        assertThat(Files.readString(files.resolve("f"))).as("f was not overwritten with f f").isEqualTo("GOOD");
    }

    @Test
    void theReceiptsSayWhichRequestsRanOnTheirApprovalAndTheVerifierAcceptsThem() throws Exception {
        List<Receipt> receipts = store.all();
        List<Receipt> actions = receipts.stream().filter(receipt -> !receipt.surface().equals("approval")).toList();
        assertThat(actions).filteredOn(receipt -> receipt.outcome().equals("PERMIT")).hasSize(2).allSatisfy(receipt -> {
            assertThat(receipt.surface()).isEqualTo("http");
            assertThat(receipt.summary()).containsEntry("approval.status", "approved");
        });
        assertThat(actions).filteredOn(receipt -> receipt.outcome().equals("HOLD")).hasSize(6);
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    private HostJvm.Result http(String... steps) throws Exception {
        return host(HttpHost.class, "http", steps);
    }

    private HostJvm.Result process(String... steps) throws Exception {
        return host(ProcessHost.class, "process", steps);
    }

    private HostJvm.Result host(Class<?> main, String surface, String... steps) throws Exception {
        HostJvm.Result result = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).with("surfaces=" + surface)
                .with("actor=payments-bot").run(main, List.of(steps));
        runs.add(result);
        return result;
    }

    /** Every GET to the loopback API and every copy needs one approver's signature. */
    private Path rules() throws Exception {
        return ApproverCli.rulesWithOneApprover(workspace, "payments.yaml", """
                policies:
                  - role: payer
                    allow: [http:127.0.0.1:get, process:/usr/bin/cp:exec]
                actors:
                  payments-bot: [payer]
                tiers:
                  T2: [http:127.0.0.1:get, process:/usr/bin/cp:exec]
                approvals:
                  approvers: approvers/
                  T2: {approvers: 1}
                """);
    }
}
