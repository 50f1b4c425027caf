package dev.warden.e2e;

import dev.warden.e2e.EgressServers.CountingHttpServer;
import dev.warden.e2e.host.HttpHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A permitted request sent through a plain HTTP proxy still works with the write checks in place: the
 * request each client writes to the proxy (in absolute form, on a connection to the proxy, maybe as
 * a copy the client made of the decided request) is what was decided, or is decided as written, for
 * its real destination and path. The proxy is a counting server on 127.0.0.1 that answers every
 * request itself; the connect to it is a {@code net} action the rules permit.
 */
class ProxiedRequestsEndToEndTest {

    static final List<String> CLIENTS = List.of("jdk", "huc", "okhttp", "apache5", "apache5-async", "apache4");

    @TempDir
    static Path workspace;

    private static CountingHttpServer destination;
    private static CountingHttpServer proxy;
    private static HostJvm.Result host;
    private static List<Receipt> receipts;

    @BeforeAll
    static void sendThroughTheProxy() throws Exception {
        destination = new CountingHttpServer();
        proxy = new CountingHttpServer();
        Receipts store = Receipts.in(workspace);
        List<String> steps = new ArrayList<>();
        for (String client : CLIENTS) {
            // A name (the host's JDK-client selector sends localhost direct), allow-listed, never resolved here.
            steps.add(client + "|GET|http://api.warden.test:" + destination.port() + "/api/proxied/" + client + "|trap=" + proxy.port());
        }
        Path hosts = Files.writeString(workspace.resolve("hosts"), "127.0.0.1 api.warden.test\n");
        host = HostJvm.withAgent(store.agentArguments())
                .with("rules=" + EgressRules.withPorts(workspace.resolve("rules"), destination.port(), proxy.port()))
                .env("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts)
                .run(HttpHost.class, steps);
        receipts = store.all();
        assertThat(store.verify().exitCode()).isZero();
    }

    @AfterAll
    static void stopServers() throws Exception {
        destination.close();
        proxy.close();
    }

    static List<String> clients() {
        return CLIENTS;
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aPermittedRequestReachesTheProxyOnceAsDecided(String client) {
        String path = "/api/proxied/" + client;
        assertThat(host.step(CLIENTS.indexOf(client))).as(host.toString()).contains("status=200 body=pong " + path);
        assertThat(proxy.requests(path)).isEqualTo(1);
        List<Receipt> decided = receipts.stream().filter(receipt -> receipt.surface().equals("http")
                && receipt.summary().getOrDefault("url.path", "").endsWith("/proxied/" + client)).toList();
        assertThat(decided).as("decided for the destination and path, at the call and maybe again as written").isNotEmpty()
                .allSatisfy(receipt -> {
                    assertThat(receipt.outcome()).isEqualTo("PERMIT");
                    assertThat(receipt.target()).isEqualTo("api.warden.test");
                    assertThat(receipt.summary()).containsEntry("url.path", path)
                            .containsEntry("url.port", String.valueOf(destination.port()));
                });
    }

    @Test
    void nothingReachesTheDestinationItselfAndTheProxyConnectIsDecided() {
        assertThat(destination.total()).isZero();
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("net")
                && String.valueOf(proxy.port()).equals(receipt.summary().get("net.port")))
                .isNotEmpty().allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("PERMIT"));
    }
}
