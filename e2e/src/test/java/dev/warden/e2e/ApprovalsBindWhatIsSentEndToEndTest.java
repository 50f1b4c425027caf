package dev.warden.e2e;

import dev.warden.e2e.EgressServers.CountingHttpServer;
import dev.warden.e2e.host.HttpHost;
import dev.warden.e2e.host.ProcessHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approval binds the action as it is sent, not as rules or the approver's list show it. Found by a review
 * (2026-12-06): an HTTP request's digest bound its path cut at 2,048 characters and its query's keys, so the approval
 * of {@code /transfer?to=acme&amount=5} sent {@code ?to=mallory&amount=99999}; and a command's arguments were
 * digested sorted and joined with commas, so the approval of {@code cp f "f f"} ran {@code cp "f f" f}. Each attack
 * runs in a host JVM of its own after the approval, counted by the server and by the files on disk.
 * <p>
 * Found by the sixth review and closed by the seventh (2026-12-07): a request's header values were not bound, so the
 * approval of a request with {@code X-Amount: 5} sent it with {@code X-Amount: 500000}, through every client. The
 * header names' case and the order of different names still keep an approval, and so does the {@code traceparent} an
 * OpenTelemetry agent adds to each request ({@link UnderTheOpenTelemetryAgent}).
 */
@SameOnEveryJdk // what an approval binds; the clients' writes run on JDK 25 in the egress classes and ApprovedBodyArraysEndToEndTest
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

    /** Every gated client, each sending to a path of its own ({@code /pay/jdk}...). */
    private static final List<String> CLIENTS = List.of("jdk", "okhttp", "apache4", "apache5", "apache5-async", "huc");
    /** The headers approved, then the amount changed, then the approved ones with other case and order. */
    private static final String APPROVED = "header=X-Amount:5;X-Note:rent";
    private static final String CHANGED = "header=X-Amount:500000;X-Note:rent";
    private static final String RESPELLED = "header=x-note:rent;X-AMOUNT:5";
    /** GETs run, POSTs need an approver's signature. */
    static final String POSTS_HELD = """
            policies:
              - role: payer
                allow: [http:127.0.0.1:get, http:127.0.0.1:post]
            actors:
              payments-bot: [payer]
            tiers:
              T2: [http:127.0.0.1:post]
            approvals:
              approvers: approvers/
              T2: {approvers: 1}
            """;

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
        // Then one held request with X-Amount: 5 per client (steps 2 to 7), each approved too.
        List<String> asking = new ArrayList<>(List.of("jdk|GET|" + api + "/transfer?to=acme&amount=5", "jdk|GET|" + api + longPath + "/to/acme"));
        asking.addAll(payments(api, "/pay/", APPROVED));
        HostJvm.Result asked = http(asking.toArray(String[]::new));
        HostJvm.Result copy = process("pb-env-dir|" + files + "|/usr/bin/cp|f|f f");
        List<String> requests = new ArrayList<>(List.of(ApproverCli.awaited(asked, 0), ApproverCli.awaited(asked, 1), ApproverCli.awaited(copy, 0)));
        for (int step = 2; step < asking.size(); step++) {
            requests.add(ApproverCli.awaited(asked, step));
        }
        for (String request : requests) {
            approvals.add(new ApproverCli(store, workspace.resolve("keys")).approve(request, "a1"));
        }

        // Then what the approvals must not cover, and what they do: X-Amount: 500000 at steps 4 to 9, the approved
        // headers respelled at steps 10 to 15.
        List<String> sending = new ArrayList<>(List.of("jdk|GET|" + api + "/transfer?to=mallory&amount=99999",
                "jdk|GET|" + api + longPath + "/to/mallory", "jdk|GET|" + api + "/transfer?to=acme&amount=5", "jdk|GET|" + api + longPath + "/to/acme"));
        sending.addAll(payments(api, "/pay/", CHANGED));
        sending.addAll(payments(api, "/pay/", RESPELLED));
        http(sending.toArray(String[]::new));
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
    void anApprovedRequestsHeaderValuesAreBoundAnotherAmountIsHeldAnewThroughEveryClient() {
        HostJvm.Result sent = runs.get(2);
        for (int i = 0; i < CLIENTS.size(); i++) {
            String client = CLIENTS.get(i);
            assertThat(sent.step(4 + i)).as(client + ": " + sent).contains("awaiting approval").doesNotContain("OK");
            assertThat(server.requestsWithHeader("/pay/" + client, "X-Amount", "500000")).as(client + ": the other amount never arrived").isZero();
            assertThat(sent.step(10 + i)).as(client + ", the approved headers respelled: " + sent).startsWith("OK step=" + (10 + i) + " ");
            assertThat(server.requestsWithHeader("/pay/" + client, "X-Amount", "5")).as(client + ": the approved one, once").isEqualTo(1);
        }
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
        assertThat(actions).filteredOn(receipt -> receipt.outcome().equals("PERMIT")).hasSize(2 + CLIENTS.size()).allSatisfy(receipt -> {
            assertThat(receipt.surface()).isEqualTo("http");
            assertThat(receipt.summary()).containsEntry("approval.status", "approved");
        });
        assertThat(actions).filteredOn(receipt -> receipt.outcome().equals("HOLD")).hasSize(6 + 2 * CLIENTS.size());
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /** One GET per client to {@code prefix + client}, with {@code headers}. */
    private static List<String> payments(String api, String prefix, String headers) {
        return CLIENTS.stream().map(client -> client + "|GET|" + api + prefix + client + "|" + headers).toList();
    }

    /**
     * The host under the OpenTelemetry Java agent, Warden its extension: the agent adds a {@code traceparent} of its
     * own to every request, which the approval must survive, and the amount is bound as without it.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class UnderTheOpenTelemetryAgent {

        private Receipts traced;
        private HostJvm.Result sent;
        private final List<ApproverCli.Result> tracedApprovals = new ArrayList<>();

        @BeforeAll
        void approveEachClientsPaymentThenSendItAgainAndAnother() throws Exception {
            traced = Receipts.in(Files.createDirectories(workspace.resolve("traced")));
            String api = "http://127.0.0.1:" + server.port();
            HostJvm.Result asked = traced(payments(api, "/traced/", APPROVED));
            for (int step = 0; step < CLIENTS.size(); step++) {
                tracedApprovals.add(new ApproverCli(traced, workspace.resolve("keys")).approve(ApproverCli.awaited(asked, step), "a1"));
            }
            List<String> sending = new ArrayList<>(payments(api, "/traced/", CHANGED));
            sending.addAll(payments(api, "/traced/", APPROVED));
            sent = traced(sending);
        }

        @Test
        void theApprovalSurvivesTheTraceparentTheAgentAddsAndStillBindsTheAmount() {
            assertThat(tracedApprovals).allSatisfy(result -> assertThat(result.exitCode()).as(result.output()).isZero());
            for (int i = 0; i < CLIENTS.size(); i++) {
                String path = "/traced/" + CLIENTS.get(i);
                assertThat(sent.step(i)).as(CLIENTS.get(i) + ": " + sent).contains("awaiting approval").doesNotContain("OK");
                assertThat(server.requestsWithHeader(path, "X-Amount", "500000")).as(path + ": the other amount never arrived").isZero();
                assertThat(sent.step(CLIENTS.size() + i)).as(CLIENTS.get(i) + ", approved, traced anew: " + sent)
                        .startsWith("OK step=" + (CLIENTS.size() + i) + " ");
                assertThat(server.requestsWithHeader(path, "X-Amount", "5")).as(path + ": the approved one, once").isEqualTo(1);
                assertThat(server.requestsWithHeader(path, "traceparent")).as(path + ": sent with the agent's traceparent").isEqualTo(1);
            }
        }

        private HostJvm.Result traced(List<String> steps) throws Exception {
            // Two agents instrument the host: its start takes about twice as long.
            HostJvm host = HostJvm.withoutAgent().within(2 * HostJvm.defaultTimeoutSeconds())
                    .jvm("-javaagent:" + System.getProperty("warden.otel.agent.jar"))
                    .jvm("-Dotel.javaagent.extensions=" + HostJvm.agentJar())
                    .jvm("-Dotel.service.name=payments-host")
                    .jvm("-Dotel.traces.exporter=none").jvm("-Dotel.metrics.exporter=none").jvm("-Dotel.logs.exporter=none")
                    .jvm("-Dwarden.rules=" + rules).jvm("-Dwarden.surfaces=http").jvm("-Dwarden.actor=payments-bot");
            Arrays.stream(traced.agentArguments()).forEach(keyValue -> host.jvm("-Dwarden." + keyValue));
            return host.run(HttpHost.class, steps);
        }
    }

    /**
     * An interceptor or exec-chain handler of the application's sends each request as a {@code POST} (a gateway that
     * takes only POSTs): the {@code GET} the call asks for is permitted, the {@code POST} written is held where it is
     * written, decided again there. Found by an eighth review (2026-12-07): that second decision bound the body and not
     * the header values, so the approval of the {@code POST} with {@code X-Amount: 5} sent {@code X-Amount: 500000}.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WhereTheRequestIsDecidedAgainAsWritten {

        private final List<String> rewriting = List.of("okhttp", "apache5", "apache5-async");
        private Receipts rewritten;
        private HostJvm.Result asked;
        private HostJvm.Result sent;
        private final List<ApproverCli.Result> rewrittenApprovals = new ArrayList<>();

        @BeforeAll
        void approveEachClientsPostThenSendItWithAnotherAmountAndAgain() throws Exception {
            Path home = Files.createDirectories(workspace.resolve("rewritten"));
            rewritten = Receipts.in(home);
            Path postRules = ApproverCli.rulesWithOneApprover(home, "posts.yaml", POSTS_HELD);
            String api = "http://127.0.0.1:" + server.port();
            asked = posted(postRules, steps(api, APPROVED));
            for (int step = 0; step < rewriting.size(); step++) {
                rewrittenApprovals.add(new ApproverCli(rewritten, home.resolve("keys")).approve(ApproverCli.awaited(asked, step), "a1"));
            }
            List<String> sending = new ArrayList<>(steps(api, CHANGED));
            sending.addAll(steps(api, APPROVED));
            sent = posted(postRules, sending);
        }

        @Test
        void theApprovalOfTheWrittenPostBindsItsHeaderValuesAnotherAmountIsHeldAnew() throws Exception {
            assertThat(rewrittenApprovals).allSatisfy(result -> assertThat(result.exitCode()).as(result.output()).isZero());
            for (int i = 0; i < rewriting.size(); i++) {
                String client = rewriting.get(i);
                String path = "/rewritten/" + client;
                assertThat(asked.step(i)).as(client + ": " + asked).contains("awaiting approval");
                assertThat(sent.step(i)).as(client + ": " + sent).contains("awaiting approval").doesNotContain("OK");
                assertThat(server.requestsWithHeader(path, "X-Amount", "500000")).as(path + ": the other amount never arrived").isZero();
                assertThat(sent.step(rewriting.size() + i)).as(client + ", the approved amount: " + sent)
                        .startsWith("OK step=" + (rewriting.size() + i) + " ");
                assertThat(server.requestsWithHeader(path, "X-Amount", "5")).as(path + ": the approved one, once").isEqualTo(1);
            }
            Receipts.Verification verification = rewritten.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }

        private List<String> steps(String api, String headers) {
            return rewriting.stream().map(client -> client + "|GET|" + api + "/rewritten/" + client + "|" + headers + "|as-post").toList();
        }

        private HostJvm.Result posted(Path postRules, List<String> steps) throws Exception {
            return HostJvm.withAgent(rewritten.agentArguments()).with("rules=" + postRules).with("surfaces=http")
                    .with("actor=payments-bot").run(HttpHost.class, steps);
        }
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
