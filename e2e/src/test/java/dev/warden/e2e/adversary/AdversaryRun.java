package dev.warden.e2e.adversary;

import dev.warden.e2e.HostLauncher;
import dev.warden.e2e.adversary.CountingServers.Arrival;
import dev.warden.e2e.adversary.CountingServers.CountingHttpServer;
import dev.warden.e2e.adversary.CountingServers.CountingTcpServer;
import dev.warden.receipts.Receipt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One adversarial host run under one policy, with its side channels: the counting HTTP server the
 * policy's one API is, counting TCP servers for techniques that aim at other endpoints, the H2 side
 * channel database, and what the host printed, the receipts and the verifier's verdict.
 */
final class AdversaryRun implements AutoCloseable {

    private final Policy policy;
    private final Path directory;
    private final List<String> techniques;
    private final CountingHttpServer api;
    private final SideChannelDatabase database;
    private final Map<String, CountingTcpServer> tcp = new LinkedHashMap<>();
    private final List<String> settings = new ArrayList<>();
    private HostLauncher.Launch launch;

    private AdversaryRun(Policy policy, Path directory, List<String> techniques) throws Exception {
        this.policy = policy;
        this.directory = Files.createDirectories(directory);
        this.techniques = List.copyOf(techniques);
        this.api = new CountingHttpServer();
        this.database = SideChannelDatabase.create(directory.resolve("side"), techniques);
    }

    static AdversaryRun prepare(Policy policy, Path workspace, List<String> techniques) throws Exception {
        return new AdversaryRun(policy, workspace.resolve(policy.name().toLowerCase()), techniques);
    }

    /** A counting TCP server on 127.0.0.1 for {@code technique} to aim at. */
    AdversaryRun tcp(String technique) throws IOException {
        tcp.put(technique, new CountingTcpServer("127.0.0.1", 0));
        return this;
    }

    /** A counting TCP server on another loopback address, on the API's port. */
    AdversaryRun tcpBesideApi(String technique, String address) throws IOException {
        tcp.put(technique, new CountingTcpServer(address, api.port()));
        return this;
    }

    AdversaryRun setting(String key, String value) {
        settings.add(key + "=" + value);
        return this;
    }

    Path directory() {
        return directory;
    }

    Policy policy() {
        return policy;
    }

    CountingHttpServer api() {
        return api;
    }

    SideChannelDatabase database() {
        return database;
    }

    AdversaryRun run(Class<?> host) throws Exception {
        List<String> arguments = new ArrayList<>();
        arguments.add("db=" + database.url());
        arguments.add("api=127.0.0.1:" + api.port());
        tcp.forEach((technique, server) -> arguments.add("tcp." + technique + "=" + server.endpoint()));
        arguments.addAll(settings);
        long started = System.nanoTime();
        launch = HostLauncher.run(host, arguments, rules(), directory);
        // For whoever reads the test's output: what the host said, technique by technique.
        System.out.printf("%s under %s (%d ms), receipts %s:%n%s%n", host.getSimpleName(), policy,
                (System.nanoTime() - started) / 1_000_000, Verdicts.outcomes(launch.receipts()), launch);
        return this;
    }

    private Path rules() throws IOException {
        if (policy == Policy.DENY_ALL) {
            return HostLauncher.rules("empty");
        }
        Path rules = Files.createDirectories(directory.resolve("rules"));
        try (Stream<Path> pack = Files.list(HostLauncher.rules("adversary-least-privilege"))) {
            for (Path rule : pack.toList()) {
                Files.copy(rule, rules.resolve(rule.getFileName()));
            }
        }
        Files.writeString(rules.resolve("ports.drl"), """
                package rules.adversary;

                import dev.warden.rules.Action;

                rule "the API's port" salience 100
                when
                    $a : Action(surface == "http", number("url.port") == %d, !hasLabel("api-port"))
                then
                    modify($a) { label("api-port") }
                end
                """.formatted(api.port()));
        return rules;
    }

    HostLauncher.Launch launch() {
        return launch;
    }

    List<Receipt> receipts() {
        return launch.receipts();
    }

    /** What the host said of {@code technique} (never trusted for what arrived). */
    String line(String technique) {
        return find(technique).orElseThrow(() -> new AssertionError("the host printed nothing for technique "
                + technique + " under " + policy + ":\n" + launch));
    }

    Optional<String> find(String technique) {
        String prefix = "technique " + technique + ": ";
        return launch.lines().stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()).replaceFirst(" \\[\\d+ ms]$", "")).findFirst();
    }

    /** The technique lines the host printed. */
    List<String> techniqueLines() {
        return launch.lines().stream().filter(line -> line.startsWith("technique ")).toList();
    }

    /** Everything the side channels saw of {@code technique}; empty when nothing got through. */
    List<String> evidence(String technique) throws Exception {
        List<String> evidence = new ArrayList<>(database.evidence(technique));
        for (Arrival arrival : api.arrivals()) {
            if (arrival.names(technique) && !arrival.isDecoy()) {
                evidence.add(arrival + " arrived at the API server");
            }
        }
        for (Receipt receipt : receipts()) {
            // A tool or model sends its effect request only when it runs: even refused, its receipt proves the run.
            String path = receipt.summary().getOrDefault("url.path", "");
            if (path.startsWith("/api/effect/") && List.of(path.split("/")).contains(technique)) {
                evidence.add("the tool or model ran: the request it sent was decided (" + receipt.outcome()
                        + ", receipt " + receipt.id() + ")");
            }
        }
        CountingTcpServer server = tcp.get(technique);
        if (server != null) {
            int connections = server.connectionsBeforeNow();
            if (connections > 0) {
                evidence.add(connections + " connection(s) reached " + server.endpoint());
            }
        }
        return evidence;
    }

    /** Requests no technique's name accounts for that are not permitted GETs: forbidden traffic of unknown origin. */
    List<Arrival> unattributedArrivals() {
        return api.arrivals().stream()
                .filter(arrival -> techniques.stream().noneMatch(arrival::names))
                .filter(arrival -> !(arrival.method().equals("GET") && arrival.path().startsWith("/api/")))
                .toList();
    }

    @Override
    public void close() throws IOException {
        api.close();
        for (CountingTcpServer server : tcp.values()) {
            server.close();
        }
    }
}
