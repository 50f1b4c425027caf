package dev.warden.agent.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors and unknown processes: exit 2 and one line, before or without attaching. */
class ControlCommandTest {

    private static String[] run(String... arguments) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = WardenCli.run(arguments);
        } finally {
            System.setErr(err);
        }
        return new String[] {String.valueOf(exit), captured.toString(StandardCharsets.UTF_8).trim()};
    }

    @Test
    void usageErrorsAreOneLineAndExit2() {
        assertThat(run("control", "12x", "status")).containsExactly("2", "warden control: PID must be a process id, not '12x'");
        assertThat(run("control", "1", "kill")).containsExactly("2", "warden control: kill needs --reason");
        assertThat(run("control", "1", "mode", "off")).containsExactly("2", "warden control: mode takes enforce or shadow");
        assertThat(run("control", "1", "pause"))
                .containsExactly("2", "warden control: unknown command 'pause': status, mode, kill, revive, reload or rollback");
        assertThat(run("control", "1", "rollback")).containsExactly("2", "warden control: rollback needs the policy VERSION");
        assertThat(run("control", "1", "reload", "now")).containsExactly("2", "warden control: 'reload' takes no argument");
        assertThat(run("control", "1", "rollback", "1a2b", "--surface", "jdbc"))
                .containsExactly("2", "warden control: rollback takes no --surface: the policy is the whole agent's");
    }

    @Test
    void aProcessThatDoesNotExistIsOneLine() {
        String[] result = run("control", "2147483646", "status");
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[1]).startsWith("warden control: cannot attach to pid 2147483646: ").doesNotContain("\n");
    }
}
