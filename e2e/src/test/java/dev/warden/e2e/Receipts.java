package dev.warden.e2e;

import dev.warden.receipts.Ed25519Keys;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptReader;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A receipts directory and signing key for one host run, and what the auditors' verifier says of it. */
final class Receipts {

    /** How long a check of one host's receipts may take: they hold thousands at most. */
    private static final Duration VERIFIER_TIMEOUT = Duration.ofSeconds(120);

    private final Path directory;
    private final Path privateKey;
    private final Path publicKey;

    private Receipts(Path root) throws Exception {
        this(root.resolve("receipts"), root.resolve("signing.pem"), root.resolve("signing.pub.pem"));
        Ed25519Keys.generate(privateKey, publicKey);
    }

    private Receipts(Path directory, Path privateKey, Path publicKey) {
        this.directory = directory;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A copy of the receipts directory, signed by the same key, to tamper with. */
    Receipts copyTo(Path target) throws java.io.IOException {
        try (var files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, target.resolve(directory.relativize(file).toString()));
            }
        }
        return new Receipts(target, privateKey, publicKey);
    }

    /** Another receipts directory signed with this run's key (a child JVM's). */
    Receipts at(Path otherDirectory) {
        return new Receipts(otherDirectory, privateKey, publicKey);
    }

    /** The same receipts checked against somebody else's public key. */
    Receipts withPublicKey(Path otherPublicKey) {
        return new Receipts(directory, privateKey, otherPublicKey);
    }

    static Receipts in(Path root) throws Exception {
        return new Receipts(root);
    }

    Path directory() {
        return directory;
    }

    Path publicKey() {
        return publicKey;
    }

    /** The signing key the agent is configured with (outside the receipts directory). */
    Path privateKey() {
        return privateKey;
    }

    /** Agent arguments that write receipts here, signed with this run's key. */
    String[] agentArguments() {
        return new String[] {"receipts=" + directory, "key=" + privateKey};
    }

    /**
     * The receipts Chronicle's readers see, read as the agent reads its own log while it writes ({@link
     * ReceiptReader#openLive}): a host may be appending as this reads, and a scan made for a stopped writer takes a
     * write in progress for damage and parses half of it. What damage a directory holds is the verifier's to say.
     */
    List<Receipt> all() throws Exception {
        try (ReceiptReader reader = ReceiptReader.openLive(directory, null)) {
            List<Receipt> receipts = new ArrayList<>();
            for (LogEntry e = reader.next(); e != null; e = reader.next()) {
                if (e instanceof LogEntry.StoredReceipt stored) {
                    receipts.add(stored.parse());
                }
            }
            return receipts;
        } catch (dev.warden.receipts.NotAReceiptsDirectoryException none) {
            // A host that never claimed the directory: what it printed says why (a test's setup fails before asserting on it).
            throw new AssertionError(none.getMessage() + "; the last host this thread ran: "
                    + HostJvm.lastRunOnThisThread().map(String::valueOf).orElse("none"), none);
        }
    }

    /**
     * Reads the receipts of a running host until {@code until} holds for them, failing after the host
     * timeout: how a test waits for the agent, instead of sleeping.
     */
    List<Receipt> await(String what, java.util.function.Predicate<List<Receipt>> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("warden.host.timeout", 120));
        List<Receipt> receipts = List.of();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(directory.resolve("queue"))) {
                receipts = all();
                if (until.test(receipts)) {
                    return receipts;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100); // a poll interval, not a synchronisation: the predicate decides
        }
        throw new AssertionError("receipts never showed " + what + " (" + receipts.size() + " receipts)");
    }

    /** How many decisions {@code receipts} record: identical refusals in a burst are counted in one receipt. */
    static long decisions(java.util.Collection<Receipt> receipts) {
        return receipts.stream().mapToLong(r -> dev.warden.receipts.Repeats.decisions(r.draft())).sum();
    }

    /**
     * Runs the verifier's {@code verify DIR --public-key FILE}: the command of {@code warden-verify.jar}, in this JVM
     * (a JVM of its own per check was a tenth of the suite's CPU). The jar itself is run as an auditor runs it by
     * {@code OperatorCliEndToEndTest}, {@code PolicyWorkflowEndToEndTest} and the approvals and export checks.
     */
    Verification verify() {
        return verify(new String[0]);
    }

    /** The same, with more of the verifier's options ({@code --witness-key FILE}, ...). */
    Verification verify(String... options) {
        List<String> arguments = new ArrayList<>(List.of("verify", directory.toString(), "--public-key", publicKey.toString()));
        arguments.addAll(List.of(options));
        StringWriter output = new StringWriter();
        PrintWriter printed = new PrintWriter(output, true);
        // Bounded as the verifier's own JVM was: a verifier that never ends fails the test that ran it.
        int exitCode = assertTimeoutPreemptively(VERIFIER_TIMEOUT, () -> dev.warden.verifier.cli.Main.commandLine(printed, printed)
                .execute(arguments.toArray(String[]::new)), () -> "the verifier did not finish: " + output);
        printed.flush();
        return new Verification(exitCode, output.toString());
    }

    record Verification(int exitCode, String output) {
    }

    static Path rules(String name) {
        Path rules = Path.of("src/test/resources/rules", name).toAbsolutePath();
        if (!Files.isDirectory(rules)) {
            throw new IllegalArgumentException("no rules named " + name);
        }
        return rules;
    }
}
