package dev.warden.agent.cli;

import dev.warden.agent.config.ConfigKey;
import dev.warden.receipts.Ed25519Keys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code java -jar warden-agent.jar <command>}: the operator's tools. */
@Command(name = "warden-agent.jar", mixinStandardHelpOptions = true, version = "Warden 0.1.0",
        description = "Warden: policy gate and receipts for AI agents on the JVM.",
        subcommands = {WardenCli.Keygen.class, CheckRulesCommand.class, TestCommand.class, ReplayCommand.class, ExplainCommand.class,
                PolicyCommands.Reload.class, PolicyCommands.Rollback.class,
                WardenCli.ConfigKeys.class, WitnessCommand.class, ControlCommand.class, PruneCommand.class,
                ApprovalsCommands.Approvals.class, ApprovalsCommands.Approve.class, ApprovalsCommands.Reject.class})
public final class WardenCli implements Callable<Integer> {

    public static int run(String[] arguments) {
        CommandLine cl = new CommandLine(new WardenCli());
        // A missing path, a locked directory, a wrong key: one line and exit 2, never a stack trace.
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(TerminalText.of("error: " + (e instanceof java.nio.file.NoSuchFileException ? "no such file: " + e.getMessage()
                    : e.getMessage() != null ? e.getMessage() : e.toString())));
            commandLine.getErr().flush();
            return 2;
        });
        return cl.execute(arguments);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true, description = "Write an Ed25519 key pair (PEM) for signing checkpoints.")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--out", description = "directory for warden-signing.pem and warden-signing.pub.pem", defaultValue = ".")
        Path directory;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(directory);
            Path privateKey = directory.resolve("warden-signing.pem");
            Path publicKey = directory.resolve("warden-signing.pub.pem");
            if (Files.exists(privateKey)) {
                System.err.println("refusing to overwrite " + privateKey);
                return 1;
            }
            Ed25519Keys.generate(privateKey, publicKey);
            System.out.println("private key (owner-only): " + privateKey.toAbsolutePath());
            System.out.println("public key (give to auditors): " + publicKey.toAbsolutePath());
            return 0;
        }
    }

    @Command(name = "config-keys", mixinStandardHelpOptions = true, description = "List the configuration keys with defaults.")
    static final class ConfigKeys implements Callable<Integer> {
        @Override
        public Integer call() {
            for (ConfigKey key : ConfigKey.values()) {
                System.out.printf("%-20s %-18s %s%n", key.key(), key.defaultValue() == null ? "" : key.defaultValue(), key.description());
            }
            return 0;
        }
    }
}
