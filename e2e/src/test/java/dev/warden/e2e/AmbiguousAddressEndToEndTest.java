package dev.warden.e2e;

import dev.warden.e2e.EgressServers.CountingHttpServer;
import dev.warden.e2e.host.HttpHost;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An IPv4 address written with a leading zero is octal to {@code inet_aton} and decimal to the JDK, through which every
 * client in the JVM connects: {@code 0127.0.0.1} reaches 127.0.0.1. Found by a review (2026-12-06): Warden decided it as
 * the public 87.0.0.1, so a browsing agent's "public hosts" permit let a request through to a loopback API's admin path;
 * with only the HTTP surface on, for every client, and with the socket surfaces on too, for the JDK client reusing a
 * kept-alive connection to 127.0.0.1. Such a host is now malformed, and the counting server sees none of it.
 */
class AmbiguousAddressEndToEndTest {

    @TempDir
    Path workspace;

    @ParameterizedTest(name = "surfaces={0}")
    @ValueSource(strings = {"http", "http,net"})
    void anAddressOctalToSomeAndDecimalToTheJdkIsRefused(String surfaces) throws Exception {
        try (CountingHttpServer api = new CountingHttpServer()) {
            Path rules = workspace.resolve("rules");
            Files.createDirectories(rules);
            Files.writeString(rules.resolve("browse.drl"), """
                    package rules.browse;

                    import dev.warden.rules.Action;
                    global dev.warden.rules.Verdict verdict;

                    rule "public hosts may be browsed"
                    when
                        Action(surface == "http", operation == "GET", text("address.class") == "public")
                    then
                        verdict.permit("browsing the public web");
                    end

                    rule "the internal API"
                    when
                        Action(surface in ("http", "net"), target == "127.0.0.1", number("url.port") == %d || number("net.port") == %d,
                               text("url.path") matches "/api/.*" || surface == "net")
                    then
                        verdict.permit("the internal API");
                    end

                    rule "malformed requests"
                    when
                        $a : Action(surface in ("http", "net"), text("url.error") != "")
                    then
                        verdict.deny("malformed request: " + $a.text("url.error"));
                    end
                    """.formatted(api.port(), api.port()));
            String base = ":" + api.port();
            List<String> steps = List.of(
                    "jdk|GET|http://127.0.0.1" + base + "/api/warm",
                    "jdk|GET|http://0127.0.0.1" + base + "/admin/jdk",
                    "huc|GET|http://0127.0.0.1" + base + "/admin/huc",
                    "okhttp|GET|http://0127.0.0.1" + base + "/admin/okhttp",
                    "huc|GET|http://010.0.0.1" + base + "/admin/private");
            Receipts store = Receipts.in(workspace);
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("surfaces=" + surfaces)
                    .with("rules=" + rules).run(HttpHost.class, steps);

            assertThat(host.step(0)).as(host.toString()).contains("status=200");
            for (int step = 1; step < steps.size(); step++) {
                assertThat(host.step(step)).as(steps.get(step)).startsWith("DENIED")
                        .contains("malformed request: IPv4 address part with a leading zero");
            }
            assertThat(api.requestsContaining("/admin")).isZero();
            assertThat(api.requestsContaining("/api/warm")).isEqualTo(1);
            assertThat(store.all()).filteredOn(receipt -> receipt.summary().getOrDefault("url.path", "").startsWith("/admin"))
                    .hasSize(4).allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
            assertThat(store.verify().exitCode()).isZero();
        }
    }
}
