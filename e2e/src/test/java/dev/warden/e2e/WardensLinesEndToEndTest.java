package dev.warden.e2e;

import dev.warden.e2e.host.ReplacedStderrHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Warden's own threads act ungated, so they never call into a stream the host set: Warden's lines go to the stderr
 * the JVM started with. A host whose replaced {@code System.err} tries to write a file (forbidden by the policy) on
 * every line printed, and a broken rule candidate that Warden's watcher thread says it rejected: the line reaches
 * the real stderr, and no file is written.
 */
class WardensLinesEndToEndTest {

    private static final String RULES = """
            package rules.lines;

            import dev.warden.rules.Action;
            global dev.warden.rules.Verdict verdict;

            rule "reads of the host's table"
            when
                Action(surface == "jdbc", operation == "SELECT", targetsWithin("lines"))
            then
                verdict.permit("the host reads its table");
            end
            """;

    private static final int CANDIDATES = 20;
    private static final long CANDIDATE_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(3);

    @TempDir
    Path workspace;

    @Test
    void aLineFromWardensOwnThreadNeverRunsTheHostsStream() throws Exception {
        Path rules = Files.createDirectories(workspace.resolve("rules"));
        Files.writeString(rules.resolve("lines.drl"), RULES);
        Receipts store = Receipts.in(workspace);
        Path written = workspace.resolve("written-by-the-stream.txt");
        Path stderr = workspace.resolve("host-stderr.txt");
        HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).errorsTo(stderr)
                .start(ReplacedStderrHost.class, List.of(written.toString()));
        host.awaitLine("READY");

        // Half-written rules: rejected by the watcher, one of Warden's threads, which says so. The watcher starts
        // alongside the host's main and takes the directory as it finds it, so a new candidate is written until one
        // is rejected.
        for (int candidate = 0; !rejected(store) && candidate < CANDIDATES; candidate++) {
            Path aside = Files.writeString(workspace.resolve("aside.drl"), RULES.replace("end", "// candidate " + candidate));
            Files.move(aside, rules.resolve("lines.drl"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            awaitRejection(store);
        }
        assertThat(rejected(store)).as("a candidate rejected").isTrue();
        assertThat(host.release()).isZero();

        assertThat(Files.readString(stderr)).contains("warden: ALERT: policy candidate rejected");
        assertThat(written).as("a file the host's stream wrote from Warden's thread").doesNotExist();
        assertThat(store.verify().exitCode()).as(store.verify().output()).isZero();
    }

    /** Whether a candidate was rejected; the queue is opened alongside the host's main, which may not be done yet. */
    private static boolean rejected(Receipts store) throws Exception {
        try {
            return store.all().stream().anyMatch(receipt -> receipt.operation().equals("policy-rejected"));
        } catch (AssertionError noQueueYet) {
            return false;
        }
    }

    /** Until the candidate is rejected, or a bound: a candidate written before the watcher began is never looked at. */
    private static void awaitRejection(Receipts store) throws Exception {
        long deadline = System.nanoTime() + CANDIDATE_WAIT_NANOS;
        while (!rejected(store) && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }
}
