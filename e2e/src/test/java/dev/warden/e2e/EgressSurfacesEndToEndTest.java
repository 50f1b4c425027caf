package dev.warden.e2e;

import dev.warden.e2e.EgressServers.CountingHttpServer;
import dev.warden.e2e.EgressServers.CountingTcpServer;
import dev.warden.e2e.host.HttpHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators give up when they turn one of the egress surfaces off ({@code surfaces=}), shown
 * rather than claimed; docs/HTTP.md explains the trade-offs.
 */
class EgressSurfacesEndToEndTest {

    @TempDir
    Path workspace;

    private CountingHttpServer api;
    private CountingTcpServer rawForbidden;
    private CountingTcpServer rawTrap;

    @BeforeEach
    void startServers() throws Exception {
        api = new CountingHttpServer();
        rawForbidden = new CountingTcpServer();
        rawTrap = new CountingTcpServer();
    }

    @AfterEach
    void stopServers() throws Exception {
        api.close();
        rawForbidden.close();
        rawTrap.close();
    }

    @Test
    void withoutNetRawSocketsLeaveUngatedAndRebindingGoesUnnoticed() throws Exception {
        Receipts store = Receipts.in(workspace);
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("surfaces=http")
                .with("rules=" + EgressRules.withPorts(workspace.resolve("rules"), api.port(), 0))
                .env("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hostsFile())
                .run(HttpHost.class, List.of(
                        "jdk|GET|http://localhost:" + api.port() + "/forbidden/http-only",
                        "socket|127.0.0.1:" + rawForbidden.port(),
                        "okhttp|GET|http://api.warden.test:" + api.port() + "/api/rebind-http-only"));

        assertThat(host.step(0)).as(host.toString()).startsWith("DENIED").contains("default-deny");
        assertThat(api.requests("/forbidden/http-only")).isZero();
        assertThat(host.step(1)).startsWith("OK step=1").contains("answer=PONG");
        assertThat(rawForbidden.connections()).isEqualTo(1);
        assertThat(host.step(2)).startsWith("OK step=2").contains("pong /api/rebind-http-only");
        assertThat(store.all()).extracting(Receipt::surface).containsExactly("http", "http");
    }

    @Test
    void withoutHttpOnlyConnectionsAreDecidedAndPathsAreInvisible() throws Exception {
        Receipts store = Receipts.in(workspace);
        // The operator permits the API's port at the socket level: all the net surface can express.
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("surfaces=net")
                .with("rules=" + EgressRules.withPorts(workspace.resolve("rules"), api.port(), api.port()))
                .run(HttpHost.class, List.of(
                        "jdk|GET|http://localhost:" + api.port() + "/forbidden/net-only",
                        "socket|127.0.0.1:" + rawForbidden.port(),
                        "socket|169.254.169.254:80|trap=" + rawTrap.port()));

        assertThat(host.step(0)).as(host.toString()).startsWith("OK step=0").contains("pong /forbidden/net-only");
        assertThat(api.requests("/forbidden/net-only")).as("a path rule needs the http surface").isEqualTo(1);
        assertThat(host.step(1)).startsWith("DENIED").contains("no rule permits net CONNECT on 127.0.0.1");
        assertThat(rawForbidden.connections()).isZero();
        assertThat(host.step(2)).startsWith("DENIED").contains("denied by no private destinations");
        assertThat(rawTrap.connections()).isZero();
        List<Receipt> receipts = store.all();
        assertThat(receipts).extracting(Receipt::surface).containsOnly("net");
        assertThat(receipts.get(0).target()).isEqualTo("localhost");
        assertThat(receipts.get(0).summary()).doesNotContainKeys("url.path", "http.header.names");
        assertThat(store.verify().exitCode()).isZero();
    }

    private Path hostsFile() throws Exception {
        Path hosts = workspace.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName()
                + "\n127.0.0.1 api.warden.test\n");
        return hosts;
    }
}
