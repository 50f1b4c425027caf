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

    @Option(names = "--allow-rotation-to", paramLabel = "FILE|FINGERPRINT", description = "accept a key rotation to this key"
            + " (PEM public key, or the SHA-256 fingerprint verify prints), repeatable; a rotation to any other key is INVALID")
    List<String> allowRotationTo = new ArrayList<>();

    @Option(names = "--json", description = "one JSON object, for pipelines")
    boolean json;

    @Option(names = "--verbose", description = "also say what was checked")
    boolean verbose;

    private final java.util.Set<String> rotations = new java.util.HashSet<>();

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
        for (String allowed : allowRotationTo) {
            try {
                rotations.add(allowed.matches("[0-9a-fA-F]{64}") ? allowed.toLowerCase(java.util.Locale.ROOT)
                        : Verifier.fingerprint(Ed25519Keys.readPublic(Path.of(allowed))));
            } catch (java.nio.file.NoSuchFileException e) {
                spec.commandLine().getErr().println(TerminalText.of("error: --allow-rotation-to " + allowed
                        + ": neither a 64-hex-digit fingerprint nor a file"));
                return Main.USAGE;
            }
        }
        List<Path> chains = ChainDirectories.of(directory);
        if (chains.size() == 1 && chains.get(0).equals(directory)) {
            List<Path> beside = ChainDirectories.chainsBeside(directory);
            if (!beside.isEmpty()) {
                return both(beside);
            }
            VerificationReport report;
            try {
                report = Verifier.verify(directory, key, requirements, rotations);
            } catch (dev.warden.receipts.NotAReceiptsDirectoryException none) {
                return noReceipts(none.getMessage());
            }
            return one(report, key);
        }
        return several(chains, key, requirements);
    }

    /**
     * A directory holding a chain and chains in subdirectories is not what a writer makes (one chain per directory, or
     * one per subdirectory with receipts-per-process): a queue planted beside the chains would be all that is checked.
     */
    private int both(List<Path> beside) {
        PrintWriter out = spec.commandLine().getOut();
        String why = "holds a receipts queue of its own and chains in subdirectories ("
                + beside.stream().map(c -> directory.relativize(c).toString()).collect(Collectors.joining(", "))
                + "), which no writer makes: a queue copied in beside per-process chains; verify each chain directory on its own";
        if (json) {
            out.println("{\"directory\":" + Json.string(directory.toString()) + ",\"valid\":false,\"problems\":[{\"kind\":\"INVALID\","
                    + "\"subject\":\"directory\",\"why\":" + Json.string(why) + ",\"location\":null}]}");
        } else {
            out.println(TerminalText.of("INVALID: directory " + directory + ": " + why));
        }
        out.flush();
        return VerificationReport.INVALID;
    }

    private int one(VerificationReport report, VerificationKey key) {
        PrintWriter out = spec.commandLine().getOut();
        if (report.receipts() == 0 && report.problems().isEmpty()) {
            return noReceipts(directory + " holds no receipts");
        }
        if (json) {
            out.println(json(directory, report));
        } else {
            if (verbose) {
                out.println(TerminalText.of("directory:  " + directory.toAbsolutePath()));
                out.println(TerminalText.of("public key: " + publicKey + " (" + HexFormat.of().formatHex(key.raw()) + ", fingerprint "
                        + Verifier.fingerprint(key) + ")"));
            }
            report.notes().forEach(n -> out.println(TerminalText.of("NOTE: " + n)));
            report.problems().forEach(p -> out.println(TerminalText.of(p.line())));
            out.println(TerminalText.of(report.summary()));
        }
        out.flush();
        return report.exitCode();
    }

    /**
     * What a writer leaves in a receipts directory besides its receipts (docs/RECEIPTS.md, Directory layout). A folder
     * merely named {@code queue} is not one of them: a wrong path stays a usage error.
     */
    private static final List<String> TRACES = List.of("public-key.pem", "writer.lock", "policies", "queue/metadata.cq4t");

    /**
     * No receipts to check. A directory a writer never wrote is a wrong path (exit 2); one that holds what a writer leaves
     * beside its receipts had them, and the queue deleted or emptied is what someone who can write the directory does to
     * make the auditor's check a usage error instead of a failure (exit 1).
     */
    private int noReceipts(String why) {
        List<String> traces = TRACES.stream().filter(t -> java.nio.file.Files.exists(directory.resolve(t),
                java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
        if (traces.isEmpty()) {
            spec.commandLine().getErr().println(TerminalText.of("error: " + why));
            return Main.USAGE;
        }
        String line = "holds what a receipts log leaves beside its receipts (" + String.join(", ", traces)
                + ") but no receipts (" + why + "): its queue was deleted or emptied";
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println("{\"directory\":" + Json.string(directory.toString()) + ",\"valid\":false,\"problems\":[{\"kind\":\"MISSING\","
                    + "\"subject\":\"receipts\",\"why\":" + Json.string(line) + ",\"location\":null}]}");
        } else {
            out.println(TerminalText.of("MISSING: receipts: " + directory + " " + line));
        }
        out.flush();
        return VerificationReport.INVALID;
    }

    /** One chain per subdirectory: each verified on its own, reported per chain; 0 only when every chain is. */
    private int several(List<Path> chains, VerificationKey key, WitnessRequirements requirements) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> objects = new ArrayList<>();
        int exit = VerificationReport.VALID;
        int valid = 0;
        // The chains share an origin, and an export holds the checkpoints of all of them: each checkpoint known from
        // outside must be reached by one of the chains here, else a chain was deleted, moved away, cut or rewritten.
        List<ExpectedCheckpoint> expected = expectAtLeast == null ? List.of() : ExpectedCheckpoint.all(expectAtLeast, key);
        java.util.Set<ExpectedCheckpoint> unreached = new java.util.LinkedHashSet<>(expected);
        WitnessRequirements perChain = new WitnessRequirements(requirements.witnesses(), requirements.required(), null);
        java.util.Map<String, String> chainIds = new java.util.HashMap<>(); // chain id -> the directory that held it first
        for (Path chain : chains) {
            String name = directory.relativize(chain).toString();
            VerificationReport report;
            try {
                report = Verifier.verify(chain, key, perChain, rotations, expected);
                unreached.removeAll(report.reached());
            } catch (java.io.IOException e) {
                // One chain that cannot be read does not keep the others from being reported.
                report = new VerificationReport(0, 0, 0, 0, 0, 0, 0, List.of(new Problem(Problem.Kind.INVALID, "chain " + name,
                        "cannot be verified: " + e.getMessage())), List.of(), List.of(), null);
            }
            // A writer starts a chain with a random id, and one writer continues it: the same id in two directories is a
            // copy of one chain, which can stand in for a chain deleted from the directory ("2 chains, 2 valid").
            String first = report.chain() == null ? null : chainIds.putIfAbsent(report.chain(), name);
            if (first != null) {
                report = report.with(new Problem(Problem.Kind.INVALID, "chain " + name, "holds the same chain as chain " + first
                        + " (chain id " + report.chain() + "): no two writers start the same chain, so one is a copy of the"
                        + " other, standing where another chain may have been"));
            }
            int code = report.receipts() == 0 && report.problems().isEmpty() ? VerificationReport.INVALID : report.exitCode();
            exit = code == VerificationReport.INVALID || exit == VerificationReport.INVALID ? VerificationReport.INVALID
                    : Math.max(exit, code);
            valid += code == VerificationReport.VALID ? 1 : 0;
            if (json) {
                objects.add(json(chain, report));
            } else {
                report.notes().forEach(n -> out.println(TerminalText.of("chain " + name + ": NOTE: " + n)));
                report.problems().forEach(p -> out.println(TerminalText.of("chain " + name + ": " + p.line())));
                out.println(TerminalText.of("chain " + name + ": " + (report.receipts() == 0 ? "holds no receipts" : report.summary())));
            }
        }
        List<Problem> unmatched = unreached.stream().map(c -> new Problem(Problem.Kind.MISSING, "checkpoint " + c.size()
                + " (" + c.source() + ", root " + c.rootHash() + ")", "no chain here reaches it (none holds that many receipts"
                + " with that root): a chain was deleted, moved away, cut or rewritten")).toList();
        if (!unmatched.isEmpty()) {
            exit = VerificationReport.INVALID;
        }
        String total = chains.size() + " chains, " + valid + " valid" + (expected.isEmpty() ? ""
                : ", " + (new java.util.HashSet<>(expected).size() - unmatched.size()) + "/" + new java.util.HashSet<>(expected).size()
                + " checkpoints known from outside reached");
        if (json) {
            out.println("{\"directory\":" + Json.string(directory.toString()) + ",\"valid\":" + (exit == 0)
                    + ",\"chains\":" + String.join(",", objects).transform(a -> "[" + a + "]")
                    + ",\"problems\":" + unmatched.stream().map(VerifyCommand::json).collect(Collectors.joining(",", "[", "]"))
                    + ",\"summary\":" + Json.string(total) + "}");
        } else {
            unmatched.forEach(p -> out.println(TerminalText.of(p.line())));
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
                + ",\"problems\":" + problems + ",\"notes\":" + r.notes().stream().map(Json::string)
                .collect(Collectors.joining(",", "[", "]")) + ",\"summary\":" + Json.string(r.summary()) + "}";
    }

    private static String json(Problem p) {
        return "{\"kind\":\"" + p.kind() + "\",\"subject\":" + Json.string(p.subject()) + ",\"why\":" + Json.string(p.why())
                + ",\"location\":" + (p.location() == null ? "null" : Json.string(p.location().toString())) + "}";
    }
}
