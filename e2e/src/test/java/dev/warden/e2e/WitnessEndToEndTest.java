package dev.warden.e2e;

import dev.warden.e2e.host.WitnessedHost;
import dev.warden.receipts.Checkpoint;
import dev.warden.receipts.LogEntry;
import dev.warden.receipts.Receipt;
import dev.warden.receipts.ReceiptReader;
import dev.warden.receipts.SignedNote;
import dev.warden.verifier.Tamper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host whose checkpoints two witnesses (C2SP tlog-witness, run from the operator jar) cosign. One
 * witness hangs and then dies while the host acts: the actions complete regardless, and once it is
 * back it catches up. The verifier then requires cosignatures, and with a witness's checkpoint as the
 * outside reference catches a tail cut back behind it. A second log with the same origin and key but
 * other receipts is refused by the witness, and the agent raises the alarm.
 */
@Isolated // witness processes it freezes and the alert timing
class WitnessEndToEndTest {
    private static final String HOST_NAME = "witness-e2e";
    private static final String ORIGIN = "warden/" + HOST_NAME;

    @TempDir
    Path workspace;

    @Test
    void witnessesCosignWithoutEverDelayingAnActionAndCatchACutAndARewrittenHistory() throws Exception {
        Receipts store = Receipts.in(workspace);
        try (WitnessProcess a = WitnessProcess.start(workspace.resolve("witness-a"), "witness-a.test", ORIGIN, store.publicKey());
             WitnessProcess b = WitnessProcess.start(workspace.resolve("witness-b"), "witness-b.test", ORIGIN, store.publicKey())) {
            Path witnesses = Files.write(workspace.resolve("witnesses.txt"), WitnessProcess.lines(a, b));
            Path export = workspace.resolve("exported-checkpoints.txt");
            Path stderr = workspace.resolve("host-stderr.txt");
            HostJvm.Running host = HostJvm.withAgent(store.agentArguments()).withRules("jdbc").with("surfaces=jdbc")
                    .with("witnesses=" + witnesses).with("checkpoint-export=" + export).with("witness-alert-receipts=150")
                    .env("HOSTNAME", HOST_NAME).errorsTo(stderr).start(WitnessedHost.class, List.of());
            OutputStream commands = host.process().getOutputStream();
            host.awaitLine("READY");

            act(host, commands, 50, 50);
            a.awaitSize(size -> size == 50, "cosigned the first 50 receipts");
            b.awaitSize(size -> size == 50, "cosigned the first 50 receipts");

            b.freeze(); // accepts connections, never answers: the worst a witness can do to a sender
            act(host, commands, 200, 250);
            a.awaitSize(size -> size == 250, "cosigned 250 receipts while the other witness hung");
            b.kill();
            act(host, commands, 100, 350);
            a.awaitSize(size -> size == 350, "cosigned 350 receipts while the other witness was down");
            awaitText(stderr, "ALERT: witness witness-b.test");
            Path status = store.directory().resolve("witness-status");
            awaitText(status, "witness=witness-b.test url=" + b.url() + " state=unreachable cosigned=50 checkpoint=350 unwitnessed=300 alert=true");
            awaitText(status, "witness=witness-a.test url=" + a.url() + " state=current cosigned=350 checkpoint=350 unwitnessed=0 alert=false");

            b.restart();
            b.awaitSize(size -> size == 350, "caught up after its restart");
            commands.write("exit\n".getBytes(StandardCharsets.UTF_8));
            commands.flush();
            host.awaitLine("BYE");
            assertThat(host.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(host.process().exitValue()).isZero();

            Receipts.Verification both = store.verify("--witness-key", a.vkeyFile().toString(),
                    "--witness-key", b.vkeyFile().toString(), "--witnesses-required", "2");
            assertThat(both.exitCode()).as(both.output()).isZero();
            assertThat(Files.readString(export)).contains("\n350\n").contains("\u2014 witness-a.test ").contains("\u2014 witness-b.test ");

            // The tail cut back to an earlier checkpoint, cleanly: without an outside reference nothing shows.
            Receipts cut = store.copyTo(workspace.resolve("cut"));
            long kept = cutTailAfterCheckpoint(cut.directory(), 200);
            Receipts.Verification unaware = cut.verify();
            assertThat(unaware.exitCode()).as("a clean cut verifies without witnesses: " + unaware.output()).isZero();
            Path reference = Files.writeString(workspace.resolve("reference.txt"), a.latest());
            Receipts.Verification caught = cut.verify("--expect-at-least", reference.toString());
            assertThat(caught.exitCode()).as(caught.output()).isEqualTo(1);
            assertThat(caught.output()).contains("MISSING: log tail (" + ORIGIN + "): receipts " + kept + "..349 were cut, a witness cosigned size 350");
            Receipts.Verification byExport = cut.verify("--expect-at-least", export.toString());
            assertThat(byExport.exitCode()).as(byExport.output()).isEqualTo(1);
            assertThat(byExport.output()).contains("receipts " + kept + "..349 were cut");

            // Another log under the same origin and key, with receipts of its own: a rewritten history.
            Receipts second = store.at(workspace.resolve("second"));
            Path secondStderr = workspace.resolve("second-stderr.txt");
            Path forgerSiem = workspace.resolve("forger-siem.jsonl");
            HostJvm.Running forger = HostJvm.withAgent(second.agentArguments()).withRules("jdbc").with("surfaces=jdbc")
                    .with("witnesses=" + Files.write(workspace.resolve("witness-a-only.txt"), WitnessProcess.lines(a)))
                    .with("siem=file:" + forgerSiem)
                    .env("HOSTNAME", HOST_NAME).errorsTo(secondStderr).start(WitnessedHost.class, List.of());
            OutputStream forgerCommands = forger.process().getOutputStream();
            forger.awaitLine("READY");
            act(forger, forgerCommands, 5, 5);
            awaitText(secondStderr, "ALARM: witness witness-a.test (" + a.url() + ") refused checkpoint");
            // The feed reports its state after the alarm (and "refused" stays): awaited, not read once.
            awaitText(second.directory().resolve("witness-status"), "state=refused");
            act(forger, forgerCommands, 1, 6);
            forgerCommands.write("exit\n".getBytes(StandardCharsets.UTF_8));
            forgerCommands.flush();
            forger.awaitLine("BYE");
            assertThat(forger.process().waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(second.all()).filteredOn(r -> r.surface().equals("warden"))
                    .singleElement().satisfies(r -> {
                        assertThat(r.operation()).isEqualTo("witness-refused");
                        assertThat(r.target()).isEqualTo("witness-a.test");
                        assertThat(r.outcome()).isEqualTo("DENY");
                        assertThat(r.reason()).contains("it has cosigned size 350");
                    });
            assertThat(Files.readAllLines(forgerSiem)).as("the refusal reaches the SIEM like any receipt")
                    .filteredOn(line -> line.contains("\"action\":\"warden-witness-refused\""))
                    .singleElement().satisfies(line -> assertThat(line).contains("\"outcome\":\"failure\""));
            assertThat(a.cosignedSize()).as("the witness kept the true history").isEqualTo(350);
        }
    }

    private static void act(HostJvm.Running host, OutputStream commands, int n, long total) throws Exception {
        commands.write(("act " + n + "\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
        assertThat(host.awaitLine("ACTED ")).startsWith("ACTED n=" + n + " total=" + total + " ");
    }

    /** Keeps the receipts and checkpoints up to the first checkpoint of at least {@code size}; returns its size. */
    private static long cutTailAfterCheckpoint(Path directory, long size) throws Exception {
        long[] cutAt = new long[1];
        Tamper.rewrite(directory, entries -> {
            List<LogEntry> kept = new ArrayList<>();
            for (LogEntry e : entries) {
                if (e instanceof LogEntry.StoredCheckpoint c) {
                    long s = Checkpoint.parse(SignedNote.parse(c.note()).text()).size();
                    if (s >= size) {
                        kept.add(c);
                        cutAt[0] = s;
                        break;
                    }
                }
                kept.add(e);
            }
            kept.removeIf(e -> e instanceof LogEntry.StoredReceipt r && sequence(r) >= cutAt[0]);
            return kept;
        });
        assertThat(cutAt[0]).isBetween(size, 349L);
        return cutAt[0];
    }

    private static long sequence(LogEntry.StoredReceipt r) {
        try {
            return r.parse().sequence();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitText(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50); // polling interval of the await
        }
        throw new AssertionError("never saw '" + text + "' in " + file + ":\n" + (Files.exists(file) ? Files.readString(file) : ""));
    }
}
