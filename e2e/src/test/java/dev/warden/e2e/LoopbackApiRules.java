package dev.warden.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The policy of the HTTP grant tests: GETs of one API on 127.0.0.1 are permitted, and nothing else (no raw connects). */
final class LoopbackApiRules {

    private LoopbackApiRules() {
    }

    /** Writes the rules into {@code directory}: GETs to {@code port} whose path matches {@code pathPattern}. */
    static Path permittingGets(Path directory, int port, String pathPattern) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("api.drl"), """
                package rules.loopback;

                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "the API"
                when
                    Action(surface == "http", operation == "GET", target == "127.0.0.1", number("url.port") == %d,
                           text("url.path") matches "%s")
                then
                    verdict.permit("the API");
                end
                """.formatted(port, pathPattern));
        return directory;
    }
}
