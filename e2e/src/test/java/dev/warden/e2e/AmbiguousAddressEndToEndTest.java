package dev.warden.e2e;

import dev.warden.e2e.DatagramServers.CountingUdpServer;
import dev.warden.e2e.EgressServers.CountingHttpServer;
import dev.warden.e2e.EgressServers.CountingTcpServer;
import dev.warden.e2e.host.DatagramHost;
import dev.warden.e2e.host.HttpHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
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
                    "huc|GET|http://010.0.0.1" + base + "/admin/private",
                    // The internal API's target, asked for a public host: decided for the target, recorded as that host.
                    "apache5|GET|http://evil.example/api/asked|target=127.0.0.1" + base,
                    "apache5-async|GET|http://evil.example/api/asked-async|target=127.0.0.1" + base);
            Receipts store = Receipts.in(workspace);
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("surfaces=" + surfaces)
                    .with("rules=" + rules).run(HttpHost.class, steps);

            assertThat(host.step(0)).as(host.toString()).contains("status=200");
            for (int step = 1; step < steps.size() - 2; step++) {
                assertThat(host.step(step)).as(steps.get(step)).startsWith("DENIED")
                        .contains("malformed request: IPv4 address part with a leading zero");
            }
            assertThat(api.requestsContaining("/admin")).isZero();
            // Found by a thirteenth review (2026-12-08): Apache HttpClient 5 (classic and async) wrote execute(target, new HttpGet("http://evil.example/..."))
            // to the target with Host: evil.example, decided again as a request to evil.example, which the public hosts'
            // rule permitted: the API served it (as Apache 4 did until the ninth review). Refused at the write now.
            for (int step = steps.size() - 2; step < steps.size(); step++) {
                assertThat(host.step(step)).as(host.toString()).startsWith("DENIED")
                        .contains("asks its server for evil.example:80, not for 127.0.0.1" + base);
            }
            assertThat(api.requestsWithHeader("/api/asked", "host") + api.requestsWithHeader("/api/asked-async", "host"))
                    .as("requests that asked the API for evil.example").isZero();
            assertThat(store.all()).filteredOn(receipt -> receipt.target().equals("evil.example")).isEmpty();
            assertThat(api.requestsContaining("/api/warm")).isEqualTo(1);
            assertThat(store.all()).filteredOn(receipt -> receipt.summary().getOrDefault("url.path", "").startsWith("/admin"))
                    .hasSize(4).allSatisfy(receipt -> assertThat(receipt.outcome()).isEqualTo("DENY"));
            assertThat(store.verify().exitCode()).isZero();
        }
    }

    /**
     * A name the policy permits is not an address it permits. The resolver answers for the name, and whoever controls its
     * DNS record chooses: {@code billing.internal}, permitted as the company's billing service, answered with 127.0.0.1
     * (as it could with the cloud's 169.254.169.254) and connected on its request's grant, with the previous build, for
     * each client: the rebinding check flagged a name decided public only. Now the connect is decided as {@code net
     * CONNECT} with {@code net.rebinding}, and refused; a policy that permits the name at that address
     * ({@code cache.internal}) still reaches it, and {@code localhost} at loopback is what its spelling says.
     */
    @Test
    void aPermittedNameTheResolverAnswersWithLoopbackConnectsOnlyWhereThePolicyPermitsThatAddress() throws Exception {
        try (CountingHttpServer api = new CountingHttpServer()) {
            Path rules = Files.createDirectories(workspace.resolve("rules"));
            Files.writeString(rules.resolve("names.drl"), """
                    package rules.names;

                    import dev.warden.rules.Action;
                    global dev.warden.rules.Verdict verdict;

                    rule "the company's services, by name"
                    when
                        Action(surface == "http", target in ("billing.internal", "cache.internal", "localhost"), number("url.port") == %d)
                    then
                        verdict.permit("the company's services");
                    end

                    rule "their names may be looked up"
                    when
                        Action(surface == "net", operation == "RESOLVE", target in ("billing.internal", "cache.internal", "localhost"))
                    then
                        verdict.permit("looking up the company's services");
                    end

                    rule "the cache runs on this host"
                    when
                        Action(surface == "net", operation == "CONNECT", target == "cache.internal", text("net.address") == "127.0.0.1")
                    then
                        verdict.permit("the cache is local");
                    end
                    """.formatted(api.port()));
            Path hosts = Files.writeString(workspace.resolve("hosts"), "127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName()
                    + "\n127.0.0.1 billing.internal\n127.0.0.1 cache.internal\n");
            String port = ":" + api.port();
            List<String> steps = List.of(
                    "jdk|GET|http://billing.internal" + port + "/billing/jdk",
                    "huc|GET|http://billing.internal" + port + "/billing/huc",
                    "okhttp|GET|http://billing.internal" + port + "/billing/okhttp",
                    "okhttp|GET|http://cache.internal" + port + "/cache",
                    "huc|GET|http://localhost" + port + "/local");
            Receipts store = Receipts.in(workspace);
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("surfaces=http,net").with("rules=" + rules)
                    .env("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts).run(HttpHost.class, steps);

            for (int step = 0; step < 3; step++) {
                assertThat(host.step(step)).as(host.toString()).startsWith("DENIED");
            }
            assertThat(api.requestsContaining("/billing")).as("requests that reached billing.internal's loopback address").isZero();
            assertThat(host.step(3)).as(host.toString()).contains("status=200");
            assertThat(host.step(4)).contains("status=200");
            assertThat(api.requestsContaining("/cache")).isEqualTo(1);
            assertThat(api.requestsContaining("/local")).isEqualTo(1);
            List<Receipt> connects = store.all().stream()
                    .filter(receipt -> receipt.surface().equals("net") && receipt.operation().equals("CONNECT")).toList();
            assertThat(connects).filteredOn(receipt -> receipt.target().equals("billing.internal")).isNotEmpty().allSatisfy(receipt -> {
                assertThat(receipt.outcome()).isEqualTo("SILENCE");
                assertThat(receipt.summary()).containsEntry("net.rebinding", "true").containsEntry("http.decided.class", "private")
                        .containsEntry("address.class", "loopback");
            });
            assertThat(connects).filteredOn(receipt -> receipt.target().equals("cache.internal"))
                    .extracting(Receipt::outcome).containsOnly("PERMIT");
            assertThat(connects).noneMatch(receipt -> receipt.target().equals("localhost"));
            assertThat(store.verify().exitCode()).isZero();
        }
    }

    /**
     * An address carries a name, and {@code InetAddress.getByAddress(name, bytes)} takes any name for any bytes. Found by
     * the eighth review (2026-12-07): a connect or datagram was decided for the name it carried, so under a rule
     * permitting {@code db.internal} (HTTP.md's own example of a database server) a socket and a datagram named
     * {@code db.internal} reached 127.0.0.1's admin port and collector, which the resolver never gave that name (the
     * hosts file puts it at 127.0.0.2). Now such a name is decided as the address it carries ({@code net.host.claimed}
     * keeps the name), refused here; a name the resolver answered with that address stands, however the application
     * made the object.
     */
    @Test
    void aNameTheResolverNeverGaveTheAddressPermitsNothingThere() throws Exception {
        try (CountingTcpServer service = new CountingTcpServer(); CountingTcpServer admin = new CountingTcpServer();
             CountingUdpServer collector = new CountingUdpServer(false)) {
            Path rules = Files.createDirectories(workspace.resolve("rules"));
            Files.writeString(rules.resolve("names.drl"), """
                    package rules.names;

                    import dev.warden.rules.Action;
                    global dev.warden.rules.Verdict verdict;

                    rule "the database server and the cache, by name"
                    when
                        Action(surface == "net", operation in ("CONNECT", "SEND"), target in ("db.internal", "cache.internal"))
                    then
                        verdict.permit("the company's services");
                    end

                    rule "the cache's name may be looked up"
                    when
                        Action(surface == "net", operation == "RESOLVE", target == "cache.internal")
                    then
                        verdict.permit("looking up the cache");
                    end
                    """);
            Path hosts = Files.writeString(workspace.resolve("hosts"), "127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName()
                    + "\n127.0.0.2 db.internal\n127.0.0.1 cache.internal\n");
            List<String> steps = List.of(
                    "tcp-named|db.internal=127.0.0.1:" + admin.port(),
                    "udp-named|db.internal=127.0.0.1:" + collector.port(),
                    "tcp-named|cache.internal=127.0.0.1:" + service.port(),
                    "tcp|cache.internal:" + service.port(),
                    "tcp-named|cache.internal=127.0.0.1:" + service.port());
            Receipts store = Receipts.in(workspace);
            HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("surfaces=net").with("rules=" + rules)
                    .env("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts).run(DatagramHost.class, steps);

            assertThat(host.lines()).as(host.toString()).contains("DONE");
            assertThat(host.step(0)).as(host.toString()).startsWith("DENIED").contains("no rule permits net CONNECT on 127.0.0.1");
            assertThat(host.step(1)).startsWith("DENIED").contains("no rule permits net SEND on 127.0.0.1");
            // Before the resolver has answered cache.internal, its name is no more than a claim either.
            assertThat(host.step(2)).startsWith("DENIED");
            assertThat(host.step(3)).contains("connected answer=PONG");
            assertThat(host.step(4)).contains("connected answer=PONG");
            assertThat(admin.connectionsBeforeNow()).as("connections that reached the admin port").isZero();
            assertThat(collector.payloadsBeforeNow()).as("datagrams that reached the collector").isEmpty();
            assertThat(service.connectionsBeforeNow()).isEqualTo(2);

            List<Receipt> receipts = store.all();
            assertThat(receipts).filteredOn(receipt -> "db.internal".equals(receipt.summary().get("net.host.claimed")))
                    .hasSize(2).allSatisfy(receipt -> {
                        assertThat(receipt.target()).isEqualTo("127.0.0.1");
                        assertThat(receipt.outcome()).isEqualTo("SILENCE");
                    });
            assertThat(receipts).filteredOn(receipt -> receipt.operation().equals("CONNECT") && receipt.target().equals("cache.internal"))
                    .extracting(Receipt::outcome).containsExactly("PERMIT", "PERMIT");
            assertThat(store.verify().exitCode()).isZero();
        }
    }

    /**
     * An address this machine holds reaches this host, as 127.0.0.1 does, whatever its range: services listening on every
     * address answer there. Found by a thirteenth review (2026-12-08): the class of a connect's address was read from its
     * bits alone, so this machine's own address (192.0.2.2 on the review's machine, a range Warden counts as public; the
     * private 10.x or 172.x a cloud gives is no different to a rule permitting private networks) was not {@code loopback}:
     * under a policy refusing this host and permitting connects anywhere else, a raw socket reached the admin port, and
     * requests decided for a public literal, or for a name DNS points at the machine, connected on their grant (or, where
     * the address is private, as a rebinding the policy permitted) and reached the API; a datagram to the broadcast
     * address of its network (192.0.2.255 there), which a {@code DatagramSocket} sends by default, reached a receiver on
     * every address. Now a connect or datagram to one of this machine's addresses, or its network's broadcast, is
     * {@code loopback}: refused, and the servers count nothing. (With a broken build that datagram goes to the network's
     * other hosts too: six bytes to an unused port.)
     */
    @Test
    void anAddressOfThisMachineIsThisHostWhateverItsRange() throws Exception {
        InterfaceAddress interfaceAddress = ownAddress();
        // Every machine the suite runs on has one (a container's eth0 included): without it this test would check nothing.
        assertThat(interfaceAddress).as("an IPv4 address of this machine's besides loopback, which this test needs").isNotNull();
        InetAddress own = interfaceAddress.getAddress();
        InetAddress broadcast = interfaceAddress.getBroadcast();
        try (CountingHttpServer api = new CountingHttpServer(new InetSocketAddress(0));
             CountingTcpServer admin = new CountingTcpServer(null);
             CountingUdpServer collector = new CountingUdpServer(false, null)) {
            Path rules = Files.createDirectories(workspace.resolve("rules"));
            Files.writeString(rules.resolve("elsewhere.drl"), """
                    package rules.elsewhere;

                    import dev.warden.rules.Action;
                    global dev.warden.rules.Verdict verdict;

                    rule "public hosts may be browsed"
                    when
                        Action(surface == "http", operation == "GET", text("address.class") == "public")
                    then
                        verdict.permit("browsing the public web");
                    end

                    rule "the API's name may be looked up"
                    when
                        Action(surface == "net", operation == "RESOLVE", target == "api.warden.test")
                    then
                        verdict.permit("looking up the API");
                    end

                    rule "connections anywhere but this host"
                    when
                        Action(surface == "net", operation in ("CONNECT", "SEND"), !flag("address.loopback"))
                    then
                        verdict.permit("the agent's tools talk to other machines");
                    end

                    rule "not this host"
                    when
                        Action(surface in ("http", "net"), flag("address.loopback"))
                    then
                        verdict.deny("this host's own services are not the agent's");
                    end
                    """);
            Path hosts = Files.writeString(workspace.resolve("hosts"), "127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName()
                    + "\n" + own.getHostAddress() + " api.warden.test\n");
            String literal = "http://" + own.getHostAddress() + ":" + api.port();
            String named = "http://api.warden.test:" + api.port();
            List<String> requests = List.of(
                    "huc|GET|" + literal + "/own/literal-huc",
                    "jdk|GET|" + literal + "/own/literal-jdk",
                    "okhttp|GET|" + named + "/own/named-okhttp",
                    "jdk|GET|" + named + "/own/named-jdk");
            Receipts store = Receipts.in(workspace);
            HostJvm.Result http = HostJvm.withAgent(store.agentArguments()).with("surfaces=http,net").with("rules=" + rules)
                    .env("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts).run(HttpHost.class, requests);
            HostJvm.Result raw = HostJvm.withAgent(store.agentArguments()).with("surfaces=http,net").with("rules=" + rules)
                    .run(DatagramHost.class, List.of("tcp|" + own.getHostAddress() + ":" + admin.port(),
                            // A DatagramSocket broadcasts by default: its network's broadcast reaches this host too.
                            "udp-socket|" + broadcast.getHostAddress() + ":" + collector.port()));

            for (int step = 0; step < requests.size(); step++) {
                assertThat(http.step(step)).as(requests.get(step) + " " + http).startsWith("DENIED");
            }
            assertThat(raw.step(0)).as(raw.toString()).startsWith("DENIED").contains("this host's own services are not the agent's");
            assertThat(api.requestsContaining("/own")).as("requests that reached this host's API at its own address").isZero();
            assertThat(admin.connectionsBeforeNow()).as("connections that reached this host's admin port").isZero();
            assertThat(collector.payloadsBeforeNow()).as("datagrams broadcast to this host's network").isEmpty();
            assertThat(raw.step(1)).as(raw.toString()).startsWith("DENIED").contains("this host's own services are not the agent's");
            List<Receipt> connects = store.all().stream()
                    .filter(receipt -> receipt.surface().equals("net") && receipt.operation().equals("CONNECT")).toList();
            assertThat(connects).as("the named requests' connects and the raw socket").hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(receipt -> {
                        assertThat(receipt.outcome()).isEqualTo("DENY");
                        assertThat(receipt.summary()).containsEntry("address.class", "loopback")
                                .containsEntry("net.address", own.getHostAddress());
                    });
            assertThat(connects).filteredOn(receipt -> receipt.target().equals("api.warden.test"))
                    .allSatisfy(receipt -> assertThat(receipt.summary()).containsEntry("net.rebinding", "true"));
            assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("net") && receipt.operation().equals("SEND"))
                    .singleElement().satisfies(receipt -> {
                        assertThat(receipt.outcome()).isEqualTo("DENY");
                        assertThat(receipt.summary()).containsEntry("address.class", "loopback")
                                .containsEntry("net.address", broadcast.getHostAddress());
                    });
            assertThat(store.verify().exitCode()).isZero();
        }
    }

    /** A non-loopback IPv4 address of an interface that is up, with its network's broadcast, or null. */
    private static InterfaceAddress ownAddress() throws SocketException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!network.isUp() || network.isLoopback()) {
                continue;
            }
            for (InterfaceAddress address : network.getInterfaceAddresses()) {
                if (address.getAddress() instanceof Inet4Address && !address.getAddress().isLinkLocalAddress()
                        && address.getBroadcast() != null) {
                    return address;
                }
            }
        }
        return null;
    }
}
