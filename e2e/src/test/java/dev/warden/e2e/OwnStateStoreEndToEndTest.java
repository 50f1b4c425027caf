package dev.warden.e2e;

import dev.warden.agent.context.RedisServer;
import dev.warden.e2e.host.StateStoreHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by a review (2026-12-06): the shared state store answered the application too. Under a policy that lets
 * the application reach every service on this machine, its tools deleted a limit's count, reopened a used approval
 * and rewrote a held request to need nobody, through the same Redis. Now every host connect to the store's port on
 * any of this machine's addresses, and every HTTP request to it, is refused as {@code warden.own-state}, in shadow
 * mode too, while Warden's own connection counts the limit. The side channel is the store itself, asked by the test.
 */
class OwnStateStoreEndToEndTest {

    /** The store's port: a redis-server of this test's own, never the shared one. */
    private static final int PORT = 6391;

    @TempDir
    static Path workspace;

    private static RedisServer redis;
    private static ServerSocket other;

    @BeforeAll
    static void startServers() throws Exception {
        redis = RedisServer.start(PORT);
        other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!other.isClosed()) {
                try (Socket socket = other.accept()) {
                    socket.getOutputStream().write("+ANSWERED\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException closed) {
                    return;
                }
            }
        }, "other-service");
        accept.setDaemon(true);
        accept.start();
    }

    @AfterAll
    static void stopServers() throws Exception {
        other.close();
        redis.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"enforce", "shadow"})
    void noHostConnectReachesTheStoreWhateverThePolicyAndTheMode(String mode) throws Exception {
        Receipts store = Receipts.in(java.nio.file.Files.createDirectories(workspace.resolve(mode)));
        // DNS as a cluster's would answer: a name of the application's that leads to the store (a second reading found it).
        Path hosts = java.nio.file.Files.writeString(workspace.resolve(mode + ".hosts"), "127.0.0.1 localhost cache.internal\n");
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("surfaces=net,http").with("mode=" + mode)
                .withRules("own-state").with("state=redis://127.0.0.1:" + PORT).jvm("-Djdk.net.hosts.file=" + hosts)
                .run(StateStoreHost.class, List.of("raw|127.0.0.1|" + other.getLocalPort() + "|control",
                        "raw|127.0.0.1|" + PORT + "|rv_own_" + mode + "_a", "raw|localhost|" + PORT + "|rv_own_" + mode + "_b",
                        "raw|127.0.0.2|" + PORT + "|rv_own_" + mode + "_c", "raw|0.0.0.0|" + PORT + "|rv_own_" + mode + "_d",
                        "raw|::ffff:127.0.0.1|" + PORT + "|rv_own_" + mode + "_e", "http|127.0.0.1|" + PORT,
                        "http|cache.internal|" + PORT));

        assertThat(host.lines()).as(host.toString()).contains("OK step=0 reply=+ANSWERED", "DONE");
        for (int step = 1; step <= 7; step++) {
            assertThat(host.step(step)).as(host.toString()).startsWith("REFUSED step=" + step + " ")
                    .contains("warden.own-state").contains("Warden's state store redis://127.0.0.1:" + PORT);
        }
        assertThat(keys("rv_own_*")).as("what reached the store").isEmpty();
        assertThat(keys("/*")).as("an HTTP request line Redis ran as a command").isEmpty();

        List<Receipt> refused = store.all().stream().filter(r -> r.rules().contains("warden.own-state")).toList();
        assertThat(refused).hasSize(7).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo("DENY");
            assertThat(r.draft().enforced()).isTrue();
        });
        assertThat(store.all()).filteredOn(r -> r.rules().contains("limit:connects-per-minute") || r.outcome().equals("PERMIT"))
                .as("the control's connect, counted through Warden's own connection to the store").isNotEmpty();
        Receipts.Verification verification = store.verify();
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    /** The store's keys matching {@code pattern}, asked over RESP by the test, which runs without the agent. */
    private static List<String> keys(String pattern) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), PORT)) {
            OutputStream out = socket.getOutputStream();
            out.write(("*2\r\n$4\r\nKEYS\r\n$" + pattern.length() + "\r\n" + pattern + "\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            int count = Integer.parseInt(in.readLine().substring(1));
            List<String> keys = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                in.readLine();
                keys.add(in.readLine());
            }
            return keys;
        }
    }
}
