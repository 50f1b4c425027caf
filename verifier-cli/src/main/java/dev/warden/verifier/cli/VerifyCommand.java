package dev.warden.verifier.cli;

import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.VerificationKey;
import dev.warden.receipts.WitnessKey;
import dev.warden.verifier.ChainDirectories;
import dev.warden.verifier.ExpectedCheckpoint;
import dev.warden.verifier.Problem;
import dev.warden.verifier.WitnessRequirements;
import dev.warden.verifier.VerificationReport;
import dev.warden.verifier.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "verify", mixinStandardHelpOptions = true, description = {"Check every receipt, chain link, checkpoint signature, Merkle root and archived policy.",
        "DIR may also hold one chain per subdirectory (receipts-per-process): each is verified and reported on its own."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "receipts directory, or a directory of chains")
    Path directory;

    @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "PEM Ed25519 public key of the signer")
    Path publicKey;

    @Option(names = "--witness-key", paramLabel = "FILE", description = "a witness's verifier key (name+hash+base64), repeatable")
    List<Path> witnessKeys = new ArrayList<>();

    @Option(names = "--witnesses-required", paramLabel = "N", description = "cosignatures by this many distinct given witnesses "
            + "the newest checkpoint must carry (default 1 with --witness-key, else 0)")
    Integer witnessesRequired;

    @Option(names = "--expect-at-least", paramLabel = "SIZE/ROOT|FILE", description = "a size and root (hex or base64) the log "
            + "must reach, or a file of signed checkpoints (a witness's GET /checkpoint answer, the checkpoint export)")
    String expectAtLeast;

    @Option(names = "--json", description = "one JSON object, for pipelines")
    boolean json;

    @Option(names = "--verbose", description = "also say what was checked")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        VerificationKey key = Ed25519Keys.readPublic(publicKey);
        WitnessRequirements requirements;
        try {
            List<WitnessKey> witnesses = new ArrayList<>();
            for (Path file : witnessKeys) {
                witnesses.add(WitnessKey.read(file));
            }
            int required = witnessesRequired != null ? witnessesRequired : witnesses.isEmpty() ? 0 : 1;
            requirements = new WitnessRequirements(witnesses, required,
                    expectAtLeast == null ? null : ExpectedCheckpoint.parse(expectAtLeast, key));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return Main.USAGE;
        }
        List<Path> chains = ChainDirectories.of(directory);
        if (chains.size() == 1 && chains.get(0).equals(directory)) {
            return one(Verifier.verify(directory, key, requirements), key);
        }
        return several(chains, key, requirements);
    }

    private int one(VerificationReport report, VerificationKey key) {
        PrintWriter out = spec.commandLine().getOut();
        if (report.receipts() == 0 && report.problems().isEmpty()) {
            spec.commandLine().getErr().println("error: " + directory + " holds no receipts");
            return Main.USAGE;
        }
        if (json) {
            out.println(json(directory, report));
        } else {
            if (verbose) {
                out.println(TerminalText.of("directory:  " + directory.toAbsolutePath()));
                out.println(TerminalText.of("public key: " + publicKey + " (" + HexFormat.of().formatHex(key.raw()) + ")"));
            }
            report.problems().forEach(p -> out.println(TerminalText.of(p.line())));
            out.println(TerminalText.of(report.summary()));
        }
        out.flush();
        return report.exitCode();
    }

    /** One chain per subdirectory: each verified on its own, reported per chain; 0 only when every chain is. */
    private int several(List<Path> chains, VerificationKey key, WitnessRequirements requirements) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> objects = new ArrayList<>();
        int exit = VerificationReport.VALID;
        int valid = 0;
        for (Path chain : chains) {
            String name = directory.relativize(chain).toString();
            VerificationReport report = Verifier.verify(chain, key, requirements);
            int code = report.receipts() == 0 && report.problems().isEmpty() ? VerificationReport.INVALID : report.exitCode();
            exit = code == VerificationReport.INVALID || exit == VerificationReport.INVALID ? VerificationReport.INVALID
                    : Math.max(exit, code);
            valid += code == VerificationReport.VALID ? 1 : 0;
            if (json) {
                objects.add(json(chain, report));
            } else {
                report.problems().forEach(p -> out.println(TerminalText.of("chain " + name + ": " + p.line())));
                out.println(TerminalText.of("chain " + name + ": " + (report.receipts() == 0 ? "holds no receipts" : report.summary())));
            }
        }
        String total = chains.size() + " chains, " + valid + " valid";
        if (json) {
            out.println("{\"directory\":" + Json.string(directory.toString()) + ",\"valid\":" + (exit == 0)
                    + ",\"chains\":" + String.join(",", objects).transform(a -> "[" + a + "]")
                    + ",\"summary\":" + Json.string(total) + "}");
        } else {
            out.println(TerminalText.of(total));
        }
        out.flush();
        return exit;
    }

    private static String json(Path directory, VerificationReport r) {
        String problems = r.problems().stream().map(VerifyCommand::json).collect(Collectors.joining(",", "[", "]"));
        return "{\"directory\":" + Json.string(directory.toString()) + ",\"valid\":" + r.allValid()
                + ",\"receipts\":" + r.receipts() + ",\"validReceipts\":" + r.validReceipts()
                + ",\"checkpoints\":" + r.checkpoints() + ",\"validCheckpoints\":" + r.validCheckpoints()
                + ",\"checkpointedSize\":" + r.checkpointedSize() + ",\"policyVersions\":" + r.policyVersions()
                + ",\"recoveredReceipts\":" + r.recoveredReceipts()
                + ",\"problems\":" + problems + ",\"summary\":" + Json.string(r.summary()) + "}";
    }

    private static String json(Problem p) {
        return "{\"kind\":\"" + p.kind() + "\",\"subject\":" + Json.string(p.subject()) + ",\"why\":" + Json.string(p.why())
                + ",\"location\":" + (p.location() == null ? "null" : Json.string(p.location().toString())) + "}";
    }
}
