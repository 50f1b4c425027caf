package dev.warden.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A least-privilege file policy as an operator writes it for one deployment: the agent may write
 * under its working directory and nowhere else; a path Warden could not resolve (a link loop, a
 * path longer than the kernel takes, a NUL) is refused whatever it claims to be under.
 */
final class FileRules {

    private FileRules() {
    }

    static Path workingDirectoryOnly(Path rules, Path workingDirectory, String... extraRules) throws IOException {
        Files.createDirectories(rules);
        Files.writeString(rules.resolve("files.drl"), """
                package rules.files;

                import dev.warden.rules.Action;
                global dev.warden.rules.Verdict verdict;

                rule "the agent's working directory"
                when
                    Action(surface == "file", targetsUnder("%s"))
                then
                    verdict.permit("the agent works in its own directory");
                end

                rule "paths that could not be resolved"
                when
                    $a : Action(surface == "file", text("file.error") != "")
                then
                    verdict.deny("the path cannot be resolved: " + $a.text("file.error"));
                end
                """.formatted(workingDirectory) + String.join("\n", extraRules));
        return rules;
    }
}
