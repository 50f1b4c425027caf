package dev.warden.agent.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class EveryCommandAnswersHelpTest {

    @Test
    void everySubcommandPrintsItsUsageAndExitsZeroOnHelp() {
        CommandLine cli = new CommandLine(new WardenCli());
        assertThat(cli.getSubcommands()).isNotEmpty();
        cli.getSubcommands().forEach((name, command) -> {
            StringWriter out = new StringWriter();
            CommandLine fresh = new CommandLine(new WardenCli());
            fresh.setOut(new PrintWriter(out));
            fresh.setErr(new PrintWriter(new StringWriter()));

            assertThat(fresh.execute(name, "--help")).as(name).isZero();
            assertThat(out.toString()).as(name).contains("Usage: ").contains(name);
        });
    }
}
