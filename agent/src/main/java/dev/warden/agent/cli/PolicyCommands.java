package dev.warden.agent.cli;

import dev.warden.agent.reload.ControlArea;
import dev.warden.receipts.PolicyArchive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The operator's {@code reload} and {@code rollback}: a request in the control area of the receipts
 * directory of the running agent, and its answer. Exit 0 switched (or nothing to switch), 1 the agent
 * rejected the version (the running one stays in force) or no agent answered in time, 2 usage (no
 * receipts directory, an unknown or ambiguous version).
 */
final class PolicyCommands {

    private PolicyCommands() {
    }

    /** What both commands share: where the agent is, how long to wait for it, and the exchange. */
    abstract static class Request implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--receipts", paramLabel = "DIR", required = true, description = "the running agent's receipts directory")
        Path receipts;

        @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
                description = "how long to wait for the agent's answer (compiling a policy takes seconds); default ${DEFAULT-VALUE}")
        long waitSeconds;

        int ask(String command, String argument) throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ControlArea area = new ControlArea(receipts);
            String id = area.ask(command, argument);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
            while (System.nanoTime() < deadline) {
                String answer = area.result(id);
                if (answer != null) {
                    boolean done = answer.startsWith("switched") || answer.startsWith("unchanged");
                    (done ? out : err).println(answer);
                    out.flush();
                    err.flush();
                    return done ? 0 : 1;
                }
                TimeUnit.MILLISECONDS.sleep(50); // the agent looks every 250 ms
            }
            area.withdraw(id);
            err.println("error: no agent answered within " + waitSeconds + " s (is one running with receipts="
                    + receipts.toAbsolutePath() + "?)");
            return 1;
        }

        /** One line and exit 2, or null when the receipts directory is there. */
        Integer usage() {
            if (!Files.isDirectory(receipts)) {
                spec.commandLine().getErr().println("error: no receipts directory " + receipts.toAbsolutePath());
                return 2;
            }
            return null;
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true, description = {"Make the running agent read its rules directory again now: switched to if it",
            "compiles and lints, rejected (the running version stays) if not. Exit 0 switched or unchanged, 1 rejected, 2 usage."})
    static final class Reload extends Request {
        @Override
        public Integer call() throws Exception {
            Integer usage = usage();
            return usage != null ? usage : ask("reload", null);
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = {"Switch the running agent to an archived policy version (a prefix is enough",
            "when one version has it). Exit 0 switched or unchanged, 1 rejected, 2 usage or an unknown version."})
    static final class Rollback extends Request {
        @Parameters(paramLabel = "VERSION", description = "the policy version (hex SHA-256, or a unique prefix), as receipts name it")
        String version;

        @Override
        public Integer call() throws Exception {
            Integer usage = usage();
            if (usage != null) {
                return usage;
            }
            String resolved;
            try {
                resolved = new PolicyArchive(receipts).resolve(version);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 2;
            }
            return ask("rollback", resolved);
        }
    }
}
