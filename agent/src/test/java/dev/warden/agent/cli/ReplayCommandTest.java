package dev.warden.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input to {@code replay} is a usage error (exit 2) with one clear line, before anything compiles. */
class ReplayCommandTest {

    @TempDir
    Path directory;

    private final StringWriter errors = new StringWriter();

    private int replay(String... arguments) {
        CommandLine cli = new CommandLine(new WardenCli());
        cli.setErr(new PrintWriter(errors, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        String[] all = new String[arguments.length + 1];
        all[0] = "replay";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return cli.execute(all);
    }

    @Test
    void aMissingReceiptsDirectoryIsExit2() throws Exception {
        Path rules = Files.createDirectories(directory.resolve("rules"));

        assertThat(replay(directory.resolve("nowhere").toString(), "--rules", rules.toString())).isEqualTo(2);
        assertThat(errors.toString()).contains("nowhere is not a directory");
    }

    @Test
    void aDirectoryWithoutReceiptsIsExit2() throws Exception {
        Path rules = Files.createDirectories(directory.resolve("rules"));
        Files.writeString(rules.resolve("roles.yaml"), "policies:\n  - role: r\n    allow: [jdbc:t:select]\nactors:\n  a: [r]\n");
        Path empty = Files.createDirectories(directory.resolve("empty"));

        assertThat(replay(empty.toString(), "--rules", rules.toString())).isEqualTo(2);
        assertThat(errors.toString()).contains("holds no receipts");
    }

    @Test
    void noCandidateATimeThatIsNoTimeOrAnEmptyRangeIsExit2() {
        assertThat(replay(directory.toString())).isEqualTo(2);
        assertThat(replay(directory.toString(), "--rules", directory.toString(), "--from", "last tuesday")).isEqualTo(2);
        assertThat(replay(directory.toString(), "--rules", directory.toString(), "--from", "2026-12-03", "--to", "2026-12-02"))
                .isEqualTo(2);
        assertThat(errors.toString()).contains("Missing required option: '--rules=CANDIDATE-DIR'",
                "'last tuesday' is not a time", "the range is empty");
    }
}
