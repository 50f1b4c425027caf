package dev.warden.verifier.cli;

import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.InclusionProof;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "verify-proof", mixinStandardHelpOptions = true, description = "Check a proof from `prove` offline, against the signer's public key.")
final class VerifyProofCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROOF", description = "proof JSON file")
    Path proofFile;

    @Option(names = "--public-key", required = true, paramLabel = "FILE")
    Path publicKey;

    @Override
    public Integer call() throws Exception {
        InclusionProof proof = InclusionProof.fromJson(Files.readString(proofFile));
        InclusionProof.Check check = proof.verify(Ed25519Keys.readPublic(publicKey));
        if (check.ok()) {
            spec.commandLine().getOut().println(TerminalText.of("VALID: " + check.reason()));
            return Main.VALID;
        }
        spec.commandLine().getOut().println(TerminalText.of("INVALID: " + check.reason()));
        return Main.INVALID;
    }
}
