package dev.warden.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The {@code http} rule pack plus the one deployment-specific file an operator writes: which ports
 * the API and the raw service listen on. The test's servers listen on ports chosen at run time.
 */
final class EgressRules {

    private EgressRules() {
    }

    static Path withPorts(Path directory, int apiPort, int rawPort) throws IOException {
        Files.createDirectories(directory);
        try (Stream<Path> pack = Files.list(Receipts.rules("http"))) {
            for (Path rule : pack.toList()) {
                Files.copy(rule, directory.resolve(rule.getFileName()));
            }
        }
        Files.writeString(directory.resolve("ports.drl"), """
                package rules.http;

                import dev.warden.rules.Action;

                rule "the API's port" salience 100
                when
                    $a : Action(surface == "http", number("url.port") == %d, !hasLabel("api-port"))
                then
                    modify($a) { label("api-port") }
                end

                rule "the raw service's port" salience 100
                when
                    $a : Action(surface == "net", number("net.port") == %d, !hasLabel("raw-port"))
                then
                    modify($a) { label("raw-port") }
                end
                """.formatted(apiPort, rawPort));
        return directory;
    }
}
