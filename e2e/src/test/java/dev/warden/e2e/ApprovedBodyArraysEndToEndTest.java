package dev.warden.e2e;

import dev.warden.e2e.EgressServers.CountingHttpServer;
import dev.warden.e2e.host.HttpHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by a ninth review (2026-12-07): a body the client holds in the application's own array
 * ({@code BodyPublishers.ofByteArray}, OkHttp's {@code RequestBody.create(byte[])}, Apache's {@code ByteArrayEntity})
 * was hashed where it lay when the request was decided and read again when written, so the application's own code
 * that overwrote the array in between (after {@code sendAsync} returned, or in an interceptor or exec-chain handler
 * that runs after the decision) sent other bytes on the approval of the first: the server received
 * {@code 99999999} on the approval of {@code 55555555}. The decision now binds a copy of the array, which the client
 * writes. Unlike the rest of what an approval binds ({@link ApprovalsBindWhatIsSentEndToEndTest}), the copy is made
 * inside each client, the JDK's among them, so this runs with the hosts on every JDK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovedBodyArraysEndToEndTest {

    private static final List<String> OVERWRITING = List.of("jdk-async", "okhttp", "okhttp-async", "apache5", "apache4");

    private CountingHttpServer server;
    private Receipts overwritten;
    private HostJvm.Result asked;
    private HostJvm.Result sent;
    private final List<ApproverCli.Result> approvals = new ArrayList<>();

    @BeforeAll
    void approveEachClientsPostThenSendItWhileTheApplicationOverwritesItsBody(@TempDir Path home) throws Exception {
        server = new CountingHttpServer();
        overwritten = Receipts.in(home);
        Path postRules = ApproverCli.rulesWithOneApprover(home, "posts.yaml", ApprovalsBindWhatIsSentEndToEndTest.POSTS_HELD);
        String api = "http://127.0.0.1:" + server.port();
        asked = posted(postRules, steps(api, ""));
        for (int step = 0; step < OVERWRITING.size(); step++) {
            approvals.add(new ApproverCli(overwritten, home.resolve("keys")).approve(ApproverCli.awaited(asked, step), "a1"));
        }
        sent = posted(postRules, steps(api, "|mutate=9"));
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @Test
    void theApprovedBytesAreTheBytesSentWhateverTheApplicationWritesIntoItsArrayAfterwards() throws Exception {
        assertThat(approvals).allSatisfy(result -> assertThat(result.exitCode()).as(result.output()).isZero());
        for (int i = 0; i < OVERWRITING.size(); i++) {
            String client = OVERWRITING.get(i);
            String path = "/overwritten/" + client;
            assertThat(asked.step(i)).as(client + ": " + asked).contains("awaiting approval");
            assertThat(sent.step(i)).as(client + ": " + sent).startsWith("OK step=" + i + " ");
            assertThat(server.requestsWithBody(path, "99999999")).as(path + ": bytes no approval covers never arrived").isZero();
            assertThat(server.requestsWithBody(path, "55555555")).as(path + ": the approved bytes, once").isEqualTo(1);
        }
        Receipts.Verification verification = overwritten.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    private static List<String> steps(String api, String overwrite) {
        return OVERWRITING.stream().map(client -> client + "|POST|" + api + "/overwritten/" + client + "|body=8|fill=5" + overwrite).toList();
    }

    private HostJvm.Result posted(Path postRules, List<String> steps) throws Exception {
        return HostJvm.withAgent(overwritten.agentArguments()).with("rules=" + postRules).with("surfaces=http")
                .with("actor=payments-bot").run(HttpHost.class, steps);
    }
}
