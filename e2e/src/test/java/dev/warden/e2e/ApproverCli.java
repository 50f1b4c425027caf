package dev.warden.e2e;

import dev.warden.receipts.Ed25519Keys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The approvers of scenario S4 and the commands they run: {@code java -jar warden-agent.jar approve ...}
 * with their own keys, checking requests against the log's public key as its operator gave it (the run's key, kept
 * outside the receipts directory). Approver a1's key is made by OpenSSL, as an approver would make it.
 */
final class ApproverCli {

    private final Path receipts;
    private final Path logKey;
    private final Path keys;

    private static final java.util.regex.Pattern AWAITING = java.util.regex.Pattern.compile("awaiting approval ([0-9a-f-]{36})");

    ApproverCli(Receipts store, Path keys) {
        this.receipts = store.directory();
        this.logKey = store.publicKey();
        this.keys = keys;
    }

    /**
     * A copy of the S4 rules with approvers a1, a2 and a3: their public keys in {@code approvers/} of
     * the rules, their private keys in {@code keys}.
     */
    static Path rulesWithApprovers(Path workspace, Path keys) throws Exception {
        Path rules = workspace.resolve("rules");
        Files.createDirectories(rules.resolve("approvers"));
        Files.createDirectories(keys);
        for (String file : List.of("s4.yaml", "models.drl")) {
            Files.copy(Receipts.rules("s4").resolve(file), rules.resolve(file));
        }
        Result made = exec(List.of("openssl", "genpkey", "-algorithm", "ed25519", "-out", keys.resolve("a1.pem").toString()));
        if (made.exitCode() != 0) {
            throw new AssertionError(made.output());
        }
        Result pub = exec(List.of("openssl", "pkey", "-in", keys.resolve("a1.pem").toString(), "-pubout", "-out",
                rules.resolve("approvers/a1.pem").toString()));
        if (pub.exitCode() != 0) {
            throw new AssertionError(pub.output());
        }
        Ed25519Keys.generate(keys.resolve("a2.pem"), rules.resolve("approvers/a2.pem"));
        Ed25519Keys.generate(keys.resolve("a3.pem"), rules.resolve("approvers/a3.pem"));
        return rules;
    }

    /**
     * A policy of the test's own beside approver a1: {@code yaml} written to {@code rules/<file>}, a1's public key in
     * {@code rules/approvers/}, its private key in {@code keys/}.
     */
    static Path rulesWithOneApprover(Path workspace, String file, String yaml) throws Exception {
        Path approvers = Files.createDirectories(workspace.resolve("rules/approvers"));
        Ed25519Keys.generate(Files.createDirectories(workspace.resolve("keys")).resolve("a1.pem"), approvers.resolve("a1.pem"));
        return Files.writeString(approvers.resolveSibling(file), yaml).getParent();
    }

    /** The approval request a host's step is held for, from the refusal it printed. */
    static String awaited(HostJvm.Result run, int step) {
        java.util.regex.Matcher matcher = AWAITING.matcher(run.step(step));
        if (!matcher.find()) {
            throw new AssertionError("step " + step + " awaits no approval:\n" + run);
        }
        return matcher.group(1);
    }

    Path key(String approver) {
        return keys.resolve(approver + ".pem");
    }

    Result approve(String request, String approver) throws Exception {
        return cli("approve", request, "--key", key(approver).toString(), "--receipts", receipts.toString(),
                "--public-key", logKey.toString());
    }

    Result reject(String request, String approver, String reason) throws Exception {
        return cli("reject", request, "--key", key(approver).toString(), "--receipts", receipts.toString(),
                "--public-key", logKey.toString(), "--reason", reason);
    }

    Result list(String... more) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("approvals", "list", "--receipts", receipts.toString(),
                "--public-key", logKey.toString()));
        arguments.addAll(List.of(more));
        return cli(arguments.toArray(String[]::new));
    }

    static Result cli(String... arguments) throws Exception {
        return exec(HostJvm.agentCli(arguments));
    }

    static Result exec(List<String> command) throws Exception {
        Result result = within(120, command);
        if (result == null) {
            throw new AssertionError("did not finish: " + command);
        }
        return result;
    }

    /**
     * Runs {@code command} for at most {@code seconds}, its output read aside so that a command that never returns is
     * seen to: null when it did not finish (it is killed).
     */
    static Result within(long seconds, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes());
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return null;
        }
        return new Result(process.exitValue(), output.join());
    }

    record Result(int exitCode, String output) {
    }
}
