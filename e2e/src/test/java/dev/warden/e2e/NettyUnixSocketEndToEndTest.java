package dev.warden.e2e;

import dev.warden.e2e.DatagramServers.CountingUdpServer;
import dev.warden.e2e.DatagramServers.CountingUnixDatagramServer;
import dev.warden.e2e.DatagramServers.CountingUnixServer;
import dev.warden.e2e.EgressServers.CountingTcpServer;
import dev.warden.e2e.host.HttpHost;
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
 * Netty's epoll transport connects unix-domain sockets natively, past the JDK's unix-domain sockets
 * (docker-java and gRPC reach a Docker or a sidecar socket this way): each connect is decided as
 * {@code CONNECT unix:<path>} like the JDK's. An address of the application's own subclass of Netty's
 * address type (which could name one socket to Warden and another to Netty) is refused without being
 * read, and the next connect on the thread is decided. Counted by unix server sockets the test runs.
 * The same transport's UDP datagrams leave from JNI too ({@code sendto}, and {@code sendmmsg} for several flushed
 * together): each is a datagram {@code SEND}, decided as the JDK's are; counted by UDP receivers the test runs.
 * Netty's io_uring transport submits its TCP connects to the kernel's ring, past {@code Socket.connect}: each is decided
 * as a {@code CONNECT} all the same; counted by TCP servers the test runs. Its datagrams are submitted to the ring too:
 * each is a {@code SEND} all the same; counted by UDP receivers the test runs.
 */
class NettyUnixSocketEndToEndTest {

    @TempDir
    static Path workspace;

    private static CountingUnixServer permitted;
    private static CountingUnixServer forbidden;
    private static CountingUdpServer metrics;
    private static CountingUdpServer elsewhere;
    private static CountingUnixDatagramServer unixDatagrams;
    private static CountingTcpServer ringPermitted;
    private static CountingTcpServer ringForbidden;
    private static CountingUdpServer ringElsewhere;
    private static HostJvm.Result host;
    private static List<Receipt> receipts;
    private static Receipts.Verification verification;

    @BeforeAll
    static void runHost() throws Exception {
        permitted = new CountingUnixServer(Files.createDirectories(workspace.resolve("sockets")));
        forbidden = new CountingUnixServer(workspace.resolve("sockets"), "docker.sock");
        metrics = new CountingUdpServer(false);
        elsewhere = new CountingUdpServer(false);
        unixDatagrams = new CountingUnixDatagramServer(workspace.resolve("sockets"), "syslog.sock");
        ringPermitted = new CountingTcpServer();
        ringForbidden = new CountingTcpServer();
        ringElsewhere = new CountingUdpServer(false);
        // The unix socket "service.sock" only, one TCP port, and Netty's native transports (loaded with the native surface on).
        Path rules = NettyRules.into(workspace.resolve("rules"), ringPermitted.port(), metrics.port());
        Receipts store = Receipts.in(workspace);
        host = HostJvm.withAgent(store.agentArguments()).with("surfaces=net,native").with("rules=" + rules)
                .run(HttpHost.class, List.of(
                        "netty-unix|" + permitted.path(),
                        "netty-unix|" + forbidden.path(),
                        "netty-unix-subclass|" + permitted.path(),
                        "netty-unix|" + permitted.path(),
                        "netty-udp|127.0.0.1:" + metrics.port() + "|payload=netty-metric|count=1",
                        "netty-udp|127.0.0.1:" + elsewhere.port() + "|payload=netty-single|count=1",
                        "netty-udp|127.0.0.1:" + elsewhere.port() + "|payload=netty-batch|count=3",
                        "netty-udp|127.0.0.1:" + metrics.port() + "|payload=netty-metrics|count=3",
                        "netty-unix-datagram|" + unixDatagrams.path() + "|payload=netty-unix-datagram",
                        "netty-io_uring|127.0.0.1:" + ringPermitted.port(),
                        "netty-io_uring|127.0.0.1:" + ringForbidden.port(),
                        "netty-io_uring-tfo|127.0.0.1:" + ringForbidden.port(),
                        "netty-io_uring-udp|127.0.0.1:" + metrics.port() + "|payload=uring-metric|count=1",
                        "netty-io_uring-udp|127.0.0.1:" + ringElsewhere.port() + "|payload=uring-single|count=1",
                        "netty-io_uring-udp|127.0.0.1:" + ringElsewhere.port() + "|payload=uring-batch|count=3",
                        "netty-io_uring-udp|127.0.0.1:" + metrics.port() + "|payload=uring-metrics|count=3"));
        receipts = store.all();
        verification = store.verify();
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (AutoCloseable server : new AutoCloseable[] {permitted, forbidden, metrics, elsewhere, unixDatagrams, ringPermitted, ringForbidden,
                ringElsewhere}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void thePermittedSocketIsReachedAndTheForbiddenOneIsNot() throws Exception {
        assertThat(host.exitCode()).as(host.toString()).isZero();
        assertThat(host.step(0)).as(host.toString()).startsWith("OK step=0").contains("answer=PONG");
        assertThat(host.step(1)).startsWith("DENIED step=1").contains("no rule permits net CONNECT on unix:" + forbidden.path());
        assertThat(forbidden.connectionsBeforeNow()).isZero();
        assertThat(permitted.connectionsBeforeNow()).as("steps 0 and 3 only").isEqualTo(2);
    }

    @Test
    void anAddressOfTheApplicationsOwnSubclassIsRefusedUnreadAndTheNextConnectIsDecided() {
        assertThat(host.step(2)).startsWith("DENIED step=2")
                .contains("warden.fail-closed: could not describe the connect: an address of type dev.warden.e2e.host.NettyConnect$");
        assertThat(host.step(3)).startsWith("OK step=3").contains("answer=PONG");
    }

    /**
     * Until an eleventh review (2026-12-07) Netty's native datagrams were not gated: under a policy permitting datagrams
     * to one loopback port only, the four sent to another port (one through {@code sendto}, three through one
     * {@code sendmmsg}) arrived there, with no decision and no receipt.
     */
    @Test
    void nettysNativeDatagramsAreDecidedAsTheJdksAre() throws Exception {
        assertThat(host.step(4)).as(host.toString()).startsWith("OK step=4 sent=1 failed=0");
        assertThat(host.step(5)).startsWith("OK step=5 sent=0 failed=1").contains("no rule permits net SEND on 127.0.0.1");
        assertThat(host.step(6)).startsWith("OK step=6 sent=0 failed=3").contains("no rule permits net SEND on 127.0.0.1");
        assertThat(host.step(7)).startsWith("OK step=7 sent=3 failed=0");
        assertThat(elsewhere.payloadsBeforeNow()).as("nothing reaches the port no rule permits").isEmpty();
        assertThat(metrics.payloadsBeforeNow()).filteredOn(payload -> payload.startsWith("netty-"))
                .containsExactly("netty-metric", "netty-metrics", "netty-metrics", "netty-metrics");
        // The refused batch: its sendmmsg refused at its first packet, again for the two left, then the last one's sendto.
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("net") && receipt.operation().equals("SEND")
                        && !receipt.target().startsWith("unix:") && !"netty-io_uring".equals(receipt.summary().get("net.via")))
                .allSatisfy(receipt -> assertThat(receipt.summary()).containsEntry("net.via", "netty-native"))
                .extracting(Receipt::target, Receipt::outcome)
                .containsExactly(tuple("127.0.0.1", "PERMIT"), tuple("127.0.0.1", "SILENCE"), tuple("127.0.0.1", "SILENCE"),
                        tuple("127.0.0.1", "SILENCE"), tuple("127.0.0.1", "SILENCE"), tuple("127.0.0.1", "PERMIT"),
                        tuple("127.0.0.1", "PERMIT"), tuple("127.0.0.1", "PERMIT"));
    }

    /** Netty's unix-domain datagrams too: a {@code SEND unix:<path>}, which no rule for a connect to a socket permits. */
    @Test
    void nettysUnixDatagramsAreSendsToTheSocketFile() throws Exception {
        assertThat(host.step(8)).as(host.toString()).startsWith("OK step=8 sent=0")
                .contains("no rule permits net SEND on unix:" + unixDatagrams.path().toRealPath());
        assertThat(unixDatagrams.payloadsBeforeNow()).isEmpty();
        String target = "unix:" + unixDatagrams.path().toRealPath();
        assertThat(receipts).filteredOn(receipt -> receipt.target().equals(target))
                .singleElement().satisfies(receipt -> {
                    assertThat(receipt.operation()).isEqualTo("SEND");
                    assertThat(receipt.outcome()).isEqualTo("SILENCE");
                });
    }

    /**
     * Until a twelfth review (2026-12-07) Netty's io_uring transport connected with no decision: the connect to the port
     * no rule permits reached its server, with no receipt, and so did its TCP Fast Open connect (the first bytes sent with
     * the SYN). Both are submitted to the kernel's ring, never made by {@code Socket.connect}.
     */
    @Test
    void nettysIoUringConnectsAreDecided() throws Exception {
        assertThat(host.step(9)).as(host.toString()).startsWith("OK step=9").contains("answer=PONG");
        assertThat(host.step(10)).startsWith("DENIED step=10").contains("no rule permits net CONNECT on 127.0.0.1");
        assertThat(host.step(11)).startsWith("DENIED step=11").contains("no rule permits net CONNECT on 127.0.0.1");
        assertThat(ringForbidden.connectionsBeforeNow()).as("nothing reaches the port no rule permits").isZero();
        assertThat(ringPermitted.connectionsBeforeNow()).isEqualTo(1);
        assertThat(receipts).filteredOn(receipt -> "netty-io_uring".equals(receipt.summary().get("net.via"))
                        && receipt.operation().equals("CONNECT"))
                .extracting(Receipt::operation, Receipt::target, receipt -> receipt.summary().get("net.port"), Receipt::outcome)
                .containsExactly(tuple("CONNECT", "127.0.0.1", String.valueOf(ringPermitted.port()), "PERMIT"),
                        tuple("CONNECT", "127.0.0.1", String.valueOf(ringForbidden.port()), "SILENCE"),
                        tuple("CONNECT", "127.0.0.1", String.valueOf(ringForbidden.port()), "SILENCE"));
    }

    /**
     * Until a twelfth review (2026-12-07) Netty's io_uring datagrams were not decided: under the policy permitting
     * datagrams to one loopback port only, the four written to another port (one alone, three flushed together) all
     * arrived there, with no decision and no receipt. Each write is now decided as it enters the channel, and a refusal
     * fails that write's promise with Warden's refusal.
     */
    @Test
    void nettysIoUringDatagramsAreDecided() throws Exception {
        assertThat(ringElsewhere.payloadsBeforeNow()).as("nothing reaches the port no rule permits; " + host).isEmpty();
        assertThat(host.step(12)).as(host.toString()).startsWith("OK step=12 sent=1 failed=0");
        assertThat(host.step(13)).startsWith("OK step=13 sent=0 failed=1")
                .contains("first-failure=java.net.NoRouteToHostException: warden: denied by default-deny").contains("no rule permits net SEND on 127.0.0.1");
        assertThat(host.step(14)).startsWith("OK step=14 sent=0 failed=3")
                .contains("first-failure=java.net.NoRouteToHostException: warden: denied by default-deny").contains("no rule permits net SEND on 127.0.0.1");
        assertThat(host.step(15)).startsWith("OK step=15 sent=3 failed=0");
        assertThat(metrics.payloadsBeforeNow()).filteredOn(payload -> payload.startsWith("uring-"))
                .containsExactly("uring-metric", "uring-metrics", "uring-metrics", "uring-metrics");
        assertThat(receipts).filteredOn(receipt -> "netty-io_uring".equals(receipt.summary().get("net.via"))
                        && receipt.operation().equals("SEND"))
                .extracting(Receipt::target, receipt -> receipt.summary().get("net.port"), Receipt::outcome)
                .containsExactly(tuple("127.0.0.1", String.valueOf(metrics.port()), "PERMIT"),
                        tuple("127.0.0.1", String.valueOf(ringElsewhere.port()), "SILENCE"),
                        tuple("127.0.0.1", String.valueOf(ringElsewhere.port()), "SILENCE"),
                        tuple("127.0.0.1", String.valueOf(ringElsewhere.port()), "SILENCE"),
                        tuple("127.0.0.1", String.valueOf(ringElsewhere.port()), "SILENCE"),
                        tuple("127.0.0.1", String.valueOf(metrics.port()), "PERMIT"),
                        tuple("127.0.0.1", String.valueOf(metrics.port()), "PERMIT"),
                        tuple("127.0.0.1", String.valueOf(metrics.port()), "PERMIT"));
    }

    @Test
    void eachConnectIsOneRecordedDecision() {
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("net") && !receipt.operation().equals("SEND")
                        && !"netty-io_uring".equals(receipt.summary().get("net.via")))
                .extracting(Receipt::operation, Receipt::target, Receipt::outcome)
                .containsExactly(tuple("CONNECT", "unix:" + permitted.path(), "PERMIT"),
                        tuple("CONNECT", "unix:" + forbidden.path(), "SILENCE"),
                        tuple("UNREADABLE", "", "DENY"),
                        tuple("CONNECT", "unix:" + permitted.path(), "PERMIT"));
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("net") && receipt.operation().equals("CONNECT")
                        && receipt.target().startsWith("unix:"))
                .allSatisfy(receipt -> assertThat(receipt.summary()).containsEntry("net.via", "netty-native"));
        assertThat(verification.exitCode()).as(verification.output()).isZero();
    }
}
