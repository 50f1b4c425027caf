package dev.warden.verifier.cli;

import dev.warden.receipts.KeyFormatException;
import dev.warden.receipts.MalformedReceiptException;
import dev.warden.receipts.NotAReceiptsDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;

/**
 * {@code warden-verify}: exit 0 all valid, 1 something invalid (or the check could not be finished), 2 usage error or
 * nothing to verify.
 */
@Command(name = "warden-verify", mixinStandardHelpOptions = true, version = "warden-verify 0.1.0",
        description = "Checks Warden receipts without trusting the process that wrote them.",
        subcommands = {VerifyCommand.class, ShowCommand.class, QueryCommand.class, ExportCommand.class,
                ProveCommand.class, VerifyProofCommand.class, ApprovalsCommand.class})
public final class Main implements Runnable {
    public static final int VALID = 0;
    public static final int INVALID = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
    }

    /** The configured command line, writing to the given streams: what tests drive. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(TerminalText.of("error: " + message(e)));
            commandLine.getErr().flush();
            return isUsage(e) ? USAGE : INVALID;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * What the auditor asked for wrong: a file that is not there, a directory with no receipts, a key in the wrong
     * format. Anything else thrown while checking is the receipts' doing or the verifier's, never "valid": exit 1.
     */
    static boolean isUsage(Exception e) {
        return !(e instanceof MalformedReceiptException) && (e instanceof NoSuchFileException
                || e instanceof NotAReceiptsDirectoryException || e instanceof KeyFormatException);
    }

    private static String message(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        if (e instanceof NotAReceiptsDirectoryException || e instanceof KeyFormatException || e.getMessage() != null) {
            return e.getMessage();
        }
        return e.toString();
    }
}
