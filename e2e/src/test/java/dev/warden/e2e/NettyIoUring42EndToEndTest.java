package dev.warden.e2e;

import dev.warden.e2e.DatagramServers.CountingUdpServer;
import dev.warden.e2e.DatagramServers.CountingUnixServer;
import dev.warden.e2e.EgressServers.CountingTcpServer;
import dev.warden.e2e.host.Netty42Host;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Netty 4.2's own io_uring transport ({@code io.netty.channel.uring}; the incubator's for Netty 4.1 is
 * {@link NettyUnixSocketEndToEndTest}'s), on a class path of its own: its TCP connects and its unix-domain connects
 * ({@code IoUringDomainSocketChannel}) are submitted to the kernel's ring, each decided as a {@code CONNECT}, counted by
 * servers the test runs; its datagrams are decided as they are written, counted by UDP receivers; a unix-domain server it binds makes a socket file past the JDK, decided as a file
 * {@code WRITE}, seen on disk.
 */
class NettyIoUring42EndToEndTest {

    @TempDir
    static Path workspace;

    private static CountingUnixServer permitted;
    private static CountingUnixServer forbidden;
    private static CountingTcpServer ringPermitted;
    private static CountingTcpServer ringForbidden;
    private static CountingUdpServer metrics;
    private static CountingUdpServer elsewhere;
    private static Path work;
    private static Path outside;
    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts.Verification verification;

    @BeforeAll
    static void runHost() throws Exception {
        Path sockets = Files.createDirectories(workspace.resolve("sockets"));
        permitted = new CountingUnixServer(sockets);
        forbidden = new CountingUnixServer(sockets, "docker.sock");
        ringPermitted = new CountingTcpServer();
        ringForbidden = new CountingTcpServer();
        metrics = new CountingUdpServer(false);
        elsewhere = new CountingUdpServer(false);
        work = Files.createDirectories(workspace.resolve("work"));
        outside = Files.createDirectories(workspace.resolve("outside"));
        // Files under the work directory only (Netty unpacks its native library there too); the unix socket
        // "service.sock", one TCP port, datagrams to one port, and Netty's native transports.
        Path rules = FileRules.workingDirectoryOnly(workspace.resolve("rules"), work);
        NettyRules.into(rules, ringPermitted.port(), metrics.port());
        Receipts store = Receipts.in(workspace);
        host = HostJvm.withAgent(store.agentArguments()).with("surfaces=net,native,file").with("rules=" + rules)
                .jvm("-Dio.netty.native.workdir=" + work).onClassPath("netty42")
                .run(Netty42Host.class, List.of(
                        "io_uring|127.0.0.1:" + ringPermitted.port(),
                        "io_uring|127.0.0.1:" + ringForbidden.port(),
                        "io_uring-unix|" + permitted.path(),
                        "io_uring-unix|" + forbidden.path(),
                        "io_uring-bind|" + work.resolve("app.sock"),
                        "io_uring-bind|" + outside.resolve("planted.sock"),
                        "io_uring-udp|127.0.0.1:" + metrics.port() + "|1",
                        "io_uring-udp|127.0.0.1:" + elsewhere.port() + "|2"));
        receipts = store.all();
        verification = store.verify();
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (AutoCloseable server : new AutoCloseable[] {permitted, forbidden, ringPermitted, ringForbidden, metrics, elsewhere}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void tcpConnectsSubmittedToTheRingAreDecided() throws Exception {
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.step(0)).as(host.toString()).startsWith("OK step=0").contains("answer=PONG");
        assertThat(host.step(1)).startsWith("DENIED step=1").contains("no rule permits net CONNECT on 127.0.0.1");
        assertThat(ringForbidden.connectionsBeforeNow()).as("nothing reaches the port no rule permits").isZero();
        assertThat(ringPermitted.connectionsBeforeNow()).isEqualTo(1);
    }

    /**
     * Until the thirteenth session a unix-domain connect over Netty 4.2's io_uring was not decided: the connect to the
     * socket no rule permits read its server's answer, with no receipt.
     */
    @Test
    void unixDomainConnectsSubmittedToTheRingAreDecided() throws Exception {
        assertThat(host.step(2)).as(host.toString()).startsWith("OK step=2").contains("answer=PONG");
        assertThat(host.step(3)).startsWith("DENIED step=3").contains("no rule permits net CONNECT on unix:" + forbidden.path());
        assertThat(forbidden.connectionsBeforeNow()).as("nothing reaches the socket no rule permits").isZero();
        assertThat(permitted.connectionsBeforeNow()).isEqualTo(1);
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("net") && receipt.operation().equals("CONNECT"))
                .allSatisfy(receipt -> assertThat(receipt.summary()).containsEntry("net.via", "netty-io_uring"))
                .extracting(Receipt::target, Receipt::outcome)
                .containsExactly(tuple("127.0.0.1", "PERMIT"), tuple("127.0.0.1", "SILENCE"),
                        tuple("unix:" + permitted.path(), "PERMIT"), tuple("unix:" + forbidden.path(), "SILENCE"));
    }

    /**
     * Until the thirteenth session Netty's native bind of a unix-domain server made its socket file with no decision:
     * outside the one directory the policy lets the agent write in, the file was made, with no receipt.
     */
    @Test
    void aSocketFileNettyBindsIsADecidedWrite() {
        assertThat(host.step(4)).as(host.toString()).startsWith("OK step=4").contains("file-made=true");
        assertThat(host.step(5)).startsWith("DENIED step=5").contains("no rule permits file WRITE on " + outside.resolve("planted.sock"));
        assertThat(outside.resolve("planted.sock")).doesNotExist();
        assertThat(receipts).filteredOn(receipt -> "netty.Socket.bind".equals(receipt.summary().get("file.via")))
                .extracting(Receipt::operation, Receipt::target, Receipt::outcome)
                .containsExactly(tuple("WRITE", work.resolve("app.sock").toString(), "PERMIT"),
                        tuple("WRITE", outside.resolve("planted.sock").toString(), "SILENCE"));
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }

    @Test
    void datagramsWrittenToTheRingAreDecided() throws Exception {
        assertThat(host.step(6)).as(host.toString()).startsWith("OK step=6 sent=1 failed=0");
        assertThat(host.step(7)).startsWith("OK step=7 sent=0 failed=2").contains("no rule permits net SEND on 127.0.0.1");
        assertThat(elsewhere.payloadsBeforeNow()).as("nothing reaches the port no rule permits").isEmpty();
        assertThat(metrics.payloadsBeforeNow()).containsExactly("uring42-6");
        assertThat(receipts).filteredOn(receipt -> receipt.operation().equals("SEND"))
                .extracting(receipt -> receipt.summary().get("net.via"), receipt -> receipt.summary().get("net.port"), Receipt::outcome)
                .containsExactly(tuple("netty-io_uring", String.valueOf(metrics.port()), "PERMIT"),
                        tuple("netty-io_uring", String.valueOf(elsewhere.port()), "SILENCE"),
                        tuple("netty-io_uring", String.valueOf(elsewhere.port()), "SILENCE"));
    }
}
