package dev.warden.e2e;

import dev.warden.e2e.EgressServers.CountingHttpServer;
import dev.warden.e2e.host.HttpHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host's {@code main} starts while Warden still opens its receipt log and assembles its engine: an action that
 * arrives meanwhile waits for the engine and is then decided and recorded like any other, and a host that exits
 * meanwhile opens no queue on its way out and leaves the directory to the next start. To hold the assembly still for as long as the test needs, the
 * shared state store it reaches for is a server that accepts and never answers until the test lets go.
 */
class EngineAssemblyEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void anActionArrivingBeforeTheEngineWaitsForItAndIsDecidedAndRecorded() throws Exception {
        try (CountingHttpServer api = new CountingHttpServer(); SilentServer store = new SilentServer()) {
            Receipts receipts = Receipts.in(workspace);
            HostJvm.Running host = host(receipts, api, store).start(HttpHost.class, List.of(
                    "huc|GET|http://localhost:" + api.port() + "/allowed",
                    "huc|GET|http://localhost:" + api.port() + "/forbidden/x"));
            try {
                awaitStack(host, "EngineSlot.awaitEngine", workspace.resolve("host.err")); // main's first request, parked in the gate
                assertThat(api.total()).isZero();
                assertThat(decisions(receipts)).isEmpty();

                store.letGo();

                assertThat(host.awaitLine("OK step=0")).contains("status=200");
                assertThat(host.awaitLine("DENIED step=1")).isNotEmpty();
                assertThat(host.process().waitFor(HostJvm.defaultTimeoutSeconds(), TimeUnit.SECONDS)).isTrue();
            } finally {
                host.killHard();
            }
            assertThat(api.requests("/allowed")).isOne();
            assertThat(api.requests("/forbidden/x")).isZero();
            assertThat(decisions(receipts)).extracting(Receipt::outcome).containsExactly("PERMIT", "SILENCE");
            Receipts.Verification verification = receipts.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }
    }

    @Test
    void aHostThatExitsBeforeTheQueueIsOpenedOpensNoneAndTheNextStartBeginsTheLog() throws Exception {
        try (CountingHttpServer api = new CountingHttpServer()) {
            Receipts receipts = Receipts.in(workspace);
            try (SilentServer store = new SilentServer()) {
                HostJvm.Running host = host(receipts, api, store).start(HttpHost.class, List.of()); // main returns at once
                try {
                    // The JVM is exiting (Warden's shutdown hook runs) while the assembly still waits for the store.
                    awaitStack(host, "EngineAssembly.awaitAtExit", workspace.resolve("host.err"));
                    store.letGo();
                    assertThat(host.process().waitFor(HostJvm.defaultTimeoutSeconds(), TimeUnit.SECONDS)).isTrue();
                    assertThat(host.process().exitValue()).isZero();
                } finally {
                    host.killHard();
                }
            }
            // Nothing was decided, so nothing is recorded: no queue opened during the exit, the claim let go.
            assertThat(java.nio.file.Files.readString(workspace.resolve("host.err"))).doesNotContain("could not be assembled")
                    .doesNotContain("cannot be written").contains("warden: started in");
            assertThat(receipts.directory().resolve("queue")).doesNotExist();

            HostJvm.Result again = HostJvm.withAgent(receipts.agentArguments()).with("surfaces=http")
                    .with("rules=" + EgressRules.withPorts(workspace.resolve("rules-again"), api.port(), 1))
                    .run(HttpHost.class, List.of("huc|GET|http://localhost:" + api.port() + "/allowed"));
            assertThat(again.stdout()).as(again.stderr()).contains("OK step=0");
            List<Receipt> all = receipts.all();
            assertThat(decisions(receipts)).extracting(Receipt::outcome).containsExactly("PERMIT");
            assertThat(all).extracting(Receipt::sequence).containsExactlyElementsOf(
                    java.util.stream.LongStream.range(0, all.size()).boxed().toList());
            assertThat(all).noneMatch(receipt -> receipt.operation().equals("recover"));
            Receipts.Verification verification = receipts.verify();
            assertThat(verification.exitCode()).as(verification.output()).isZero();
        }
    }

    private HostJvm host(Receipts receipts, CountingHttpServer api, SilentServer store) throws IOException {
        return HostJvm.withAgent(receipts.agentArguments()).with("surfaces=http")
                .with("rules=" + EgressRules.withPorts(workspace.resolve("rules"), api.port(), 1))
                .with("state=redis://127.0.0.1:" + store.port()).with("state-timeout=60000")
                .errorsTo(workspace.resolve("host.err"));
    }

    private static List<Receipt> decisions(Receipts receipts) throws Exception {
        return java.nio.file.Files.isDirectory(receipts.directory().resolve("queue"))
                ? receipts.all().stream().filter(receipt -> receipt.surface().equals("http")).toList() : List.of();
    }

    /** Waits until one of the host's threads is in {@code frame}, as {@code jcmd Thread.print} shows it. */
    private static void awaitStack(HostJvm.Running host, String frame, Path errors) throws Exception {
        Path jcmd = Path.of(HostJvm.java()).resolveSibling("jcmd");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HostJvm.defaultTimeoutSeconds());
        String threads = "";
        while (System.nanoTime() < deadline && host.process().isAlive()) {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(host.process().pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dump.waitFor();
            if (threads.contains(frame)) {
                return;
            }
        }
        throw new AssertionError("no thread of the host reached " + frame + ":\n" + threads
                + (java.nio.file.Files.exists(errors) ? "\nhost's stderr:\n" + java.nio.file.Files.readString(errors) : ""));
    }

    /** A TCP server that accepts and never answers, until {@link #letGo}: then every connection is closed, and the port. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new ArrayList<>(); // guarded by this
        private boolean lettingGo;                              // guarded by this

        SilentServer() throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        hold(socket.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private synchronized void hold(Socket connection) throws IOException {
            if (lettingGo) {
                connection.close();
            } else {
                held.add(connection);
            }
        }

        synchronized void letGo() throws IOException {
            lettingGo = true;
            socket.close();
            for (Socket connection : held) {
                connection.close();
            }
        }

        @Override
        public void close() throws IOException {
            letGo();
        }
    }
}
