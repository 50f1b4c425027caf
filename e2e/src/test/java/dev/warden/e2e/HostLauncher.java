package dev.warden.e2e;

import dev.warden.receipts.Receipt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link HostJvm} and {@link Receipts} for tests outside this package (the adversarial suite in
 * {@code dev.warden.e2e.adversary}): one host run with only {@code -javaagent}, its receipts, and
 * what the auditors' verifier says of them.
 */
public final class HostLauncher {

    /** What one host run printed, the receipts it left, and the verifier's verdict on them. */
    public record Launch(int exitCode, String stdout, String stderr, List<Receipt> receipts,
                         int verifierExitCode, String verifierOutput) {

        public List<String> lines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private HostLauncher() {
    }

    /**
     * Runs {@code main} with the agent, the rules in {@code rules}, and receipts (and a fresh signing
     * key) under {@code workspace}.
     */
    public static Launch run(Class<?> main, List<String> arguments, Path rules, Path workspace) throws Exception {
        Receipts store = Receipts.in(workspace);
        List<String> agentArguments = new ArrayList<>(List.of(store.agentArguments()));
        agentArguments.add("rules=" + rules);
        // The classes of bypass these hosts try are about SQL, egress, tools and models; the side
        // database the host opens writes files of its own (H2's trace file), which the file surface
        // would decide too. The file, process and native surfaces have suites of their own.
        agentArguments.add("surfaces=jdbc,http,net,tool,model");
        HostJvm.Result result = HostJvm.withAgent(agentArguments.toArray(String[]::new)).run(main, arguments);
        Receipts.Verification verification = store.verify();
        return new Launch(result.exitCode(), result.stdout(), result.stderr(), store.all(),
                verification.exitCode(), verification.output());
    }

    /** A rule pack under {@code src/test/resources/rules}. */
    public static Path rules(String pack) {
        return Receipts.rules(pack);
    }
}
