package dev.warden.e2e;

import dev.warden.e2e.host.DiagnosticsHost;
import dev.warden.receipts.Receipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code jvm} surface end to end: a host that asks the JVM, through the platform MBean server and the
 * HotSpot MXBean, to dump its heap, write a log, load a native agent and change a flag, the way any code (or
 * anyone who reaches the MBean server) can. None of it passes the file or native gate: the JVM does it in native
 * code. The side channels are the disk (the dump and log files the JVM would write) and a marker library whose
 * constructor writes a file the moment the JVM maps it as an agent.
 */
class JvmEndToEndTest {

    @TempDir
    Path workspace;

    @Test
    void underDenyAllTheJvmWritesNothingAndLoadsNoAgentWhicheverWayTheHostAsks() throws Exception {
        NativeLibraries libraries = new NativeLibraries(workspace);
        Path agent = libraries.build("agent");
        Path out = Files.createDirectories(workspace.resolve("out"));
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("empty")
                .run(DiagnosticsHost.class, List.of(
                        "dcmd|vmSetFlag|HeapDumpPath|" + out.resolve("flag.hprof"),
                        "dump-heap|" + out.resolve("mxbean.hprof"),
                        "dump-heap-mbean|" + out.resolve("mbean.hprof"),
                        "dcmd|vmLog|output=" + out.resolve("vm.log") + "|what=gc",
                        "dcmd|jvmtiAgentLoad|" + agent,
                        "set-option|HeapDumpPath|" + out.resolve("later.hprof"),
                        "dcmd|threadPrint"));

        try (var written = Files.list(out)) {
            assertThat(written).as("files the JVM wrote\n" + host).isEmpty();
        }
        assertThat(libraries.ran()).as("the agent library's constructor").isEmpty();
        for (int step = 0; step < 7; step++) {
            // A heap dump option is refused before the rules are asked (step 0's VM.set_flag, step 5's setVMOption).
            assertThat(host.step(step)).as(host.toString()).startsWith("DENIED step=" + step).contains(step == 0 || step == 5
                    ? "a heap dump option set after the start" : "warden: denied by default-deny");
        }
        assertThat(host.step(5)).as("the option kept its value").doesNotContain("later.hprof");

        List<Receipt> receipts = store.all();
        assertThat(receipts).filteredOn(receipt -> receipt.surface().equals("jvm"))
                .extracting(receipt -> receipt.operation().equals("UNREADABLE") ? "UNREADABLE " + receipt.outcome()
                        : receipt.operation() + " " + receipt.target() + " " + receipt.outcome())
                .containsExactly("UNREADABLE DENY", "HEAP_DUMP " + out.resolve("mxbean.hprof") + " SILENCE",
                        "HEAP_DUMP " + out.resolve("mbean.hprof") + " SILENCE", "COMMAND VM.log SILENCE",
                        "COMMAND JVMTI.agent_load SILENCE", "UNREADABLE DENY", "COMMAND Thread.print SILENCE");
        assertThat(receipts).filteredOn(receipt -> receipt.target().equals("JVMTI.agent_load"))
                .singleElement().satisfies(receipt -> assertThat(receipt.summary()).containsEntry("jvm.line", "JVMTI.agent_load " + agent));
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void underLeastPrivilegeThePermittedDumpsRunAndNothingRidesOnThem() throws Exception {
        NativeLibraries libraries = new NativeLibraries(workspace);
        Path agent = libraries.build("agent");
        Path dumps = Files.createDirectories(workspace.resolve("permitted-dumps"));
        Path elsewhere = Files.createDirectories(workspace.resolve("elsewhere/inner"));
        Files.createSymbolicLink(dumps.resolve("link"), elsewhere);
        Receipts store = Receipts.in(workspace);

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jvm")
                .run(DiagnosticsHost.class, List.of(
                        "dcmd|threadPrint",
                        // A line break separates commands in the JVM's parser: here, an agent load after the dump. The JDK
                        // refuses it from the MBean too ("Invalid syntax"); Warden refuses it first, with a receipt.
                        "dcmd|threadPrint|%0AJVMTI.agent_load " + agent,
                        "dump-heap|" + dumps.resolve("permitted.hprof"),
                        // Read lexically this is in permitted-dumps; the kernel follows the link first and writes in elsewhere.
                        "dump-heap|" + dumps + "/link/../escaped.hprof",
                        "dcmd|jvmtiAgentLoad|" + agent));

        assertThat(host.step(0)).as(host.toString()).startsWith("OK step=0 output=").contains("Full thread dump");
        assertThat(host.step(1)).startsWith("DENIED step=1").contains("line break");
        assertThat(host.step(2)).isEqualTo("OK step=2 dumped");
        assertThat(host.step(3)).startsWith("DENIED step=3").contains("no rule permits jvm HEAP_DUMP");
        assertThat(host.step(4)).startsWith("DENIED step=4");
        assertThat(libraries.ran()).as("the agent library's constructor").isEmpty();
        assertThat(Files.size(dumps.resolve("permitted.hprof"))).isPositive();
        assertThat(workspace.resolve("elsewhere/escaped.hprof")).doesNotExist();
        assertThat(dumps.resolve("escaped.hprof")).doesNotExist();

        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("jvm"))
                .extracting(receipt -> receipt.operation() + " " + receipt.outcome())
                .containsExactly("COMMAND PERMIT", "UNREADABLE DENY", "HEAP_DUMP PERMIT", "HEAP_DUMP SILENCE", "COMMAND SILENCE");
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void aHeapDumpIsDecidedWhereItsDirectoryLeadsNowNotWhereAnIdenticalEarlierOneLed() throws Exception {
        Path dumps = Files.createDirectories(workspace.resolve("permitted-dumps"));
        Path elsewhere = Files.createDirectories(workspace.resolve("elsewhere"));
        Path swing = Files.createSymbolicLink(workspace.resolve("swing"), dumps);
        Receipts store = Receipts.in(workspace);

        // Only jvm is gated: the host moves its own link freely, as it could in any directory it may write.
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jvm").with("surfaces=jvm")
                .run(DiagnosticsHost.class, List.of("dump-heap|" + swing.resolve("first.hprof"), "relink|" + swing + "|" + elsewhere,
                        "dump-heap|" + swing.resolve("first.hprof")));

        assertThat(host.step(0)).as(host.toString()).isEqualTo("OK step=0 dumped");
        assertThat(host.step(1)).isEqualTo("OK step=1 relinked");
        // The same call as step 0, word for word: ruled on where the link leads now.
        assertThat(host.step(2)).startsWith("DENIED step=2").contains("no rule permits jvm HEAP_DUMP");
        assertThat(dumps.resolve("first.hprof")).exists();
        assertThat(elsewhere.resolve("first.hprof")).doesNotExist();
        assertThat(store.all()).filteredOn(receipt -> receipt.surface().equals("jvm")).extracting(receipt -> receipt.target())
                .containsExactly(dumps.toRealPath().resolve("first.hprof").toString(), elsewhere.toRealPath().resolve("first.hprof").toString());
        assertThat(store.verify().exitCode()).isZero();
    }

    @Test
    void theJvmsOwnAttachListenerIsAJvmActionThatNoNetOrFileRuleForTmpPermits() throws Exception {
        Receipts store = Receipts.in(workspace);
        long nonce = System.nanoTime();
        Path loop = Path.of("/tmp", "warden-jvm-e2e-" + nonce + ".sock");
        Path moved = Path.of("/tmp", "warden-jvm-e2e-" + nonce + ".moved");
        Path linked = Path.of("/tmp", "warden-jvm-e2e-" + nonce + ".linked");

        // The process surface stays off: the kill that starts the listener stands in for any earlier attach (an
        // operator's jcmd, Warden's control CLI) that leaves it up. With the previous build the connect was a net CONNECT
        // this policy permits, and the host read Warden's control key.
        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jvm-careless").with("surfaces=net,file,jvm")
                .run(DiagnosticsHost.class, List.of("unix-loop|" + loop, "attach-self|agentProperties",
                        "move-listener|" + moved, "link-listener|" + linked, "attach-client", "attach-self|agentProperties"));

        assertThat(host.step(0)).as(host.toString()).isEqualTo("OK step=0 connected=true");
        assertThat(host.step(1)).startsWith("DENIED step=1").contains("no rule permits jvm ATTACH").doesNotContain("control-key=true");
        // Moved or linked, the socket would be reached by a name the connect's check does not know: it is Warden's own.
        assertThat(host.step(2)).startsWith("DENIED step=2").contains("Warden's own files");
        assertThat(host.step(3)).startsWith("DENIED step=3").contains("Warden's own files");
        assertThat(moved).doesNotExist();
        assertThat(linked).doesNotExist();
        // The JDK's own client connects natively, past the socket advice: decided where it attaches, at a thread's id.
        assertThat(host.step(4)).startsWith("DENIED step=4").contains("link=refused").contains("no rule permits jvm ATTACH");
        assertThat(host.step(5)).startsWith("DENIED step=5").contains("no rule permits jvm ATTACH");
        List<Receipt> receipts = store.all();
        assertThat(receipts).extracting(receipt -> receipt.surface() + " " + receipt.operation() + " " + receipt.outcome())
                .contains("net CONNECT PERMIT", "jvm ATTACH SILENCE")
                .doesNotContain("net CONNECT SILENCE");
        assertThat(receipts).filteredOn(receipt -> receipt.operation().equals("ATTACH")).hasSize(3)
                .filteredOn(receipt -> "attach-api".equals(receipt.summary().get("jvm.via")))
                .singleElement().satisfies(receipt -> assertThat(receipt.summary()).containsEntry("jvm.self", "true"));
        assertThat(store.verify().exitCode()).isZero();
    }

    /**
     * Another JVM's attach listener serves its agent properties and loads agents into it as this one's does. Found by the
     * eighth review (2026-12-07): the JDK's attach client to another JVM was {@code jvm ATTACH}, but a unix connect to the
     * same listener was a {@code net CONNECT}, which this careless policy permits, and the host had the other JVM write a
     * heap dump of itself. Now that connect is {@code jvm ATTACH} too, with the other JVM's id, and refused.
     */
    @Test
    void anotherJvmsAttachListenerIsAJvmActionThatNoNetRuleForTmpPermits() throws Exception {
        Path dump = workspace.resolve("other-jvm.hprof");
        HostJvm.Running other = HostJvm.withoutAgent().jvm("-XX:+StartAttachListener").start(DiagnosticsHost.class, List.of("idle"));
        try {
            String pid = other.awaitLine("READY").substring("READY pid=".length());
            // Listening from the JVM's start, before main (StartAttachListener).
            assertThat(Path.of("/tmp", ".java_pid" + pid)).exists();
            // With net gated, and without it: the jvm surface is gated whatever surfaces= names, the listener's connect with it.
            for (String surfaces : List.of("net,file,jvm", "file")) {
                Receipts store = Receipts.in(Files.createDirectories(workspace.resolve("receipts-" + surfaces.replace(',', '-'))));
                HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).withRules("jvm-careless").with("surfaces=" + surfaces)
                        .run(DiagnosticsHost.class, List.of("attach-other|" + pid + "|dumpheap|" + dump + "|-all"));

                assertThat(host.step(0)).as(surfaces + ": " + host).startsWith("DENIED step=0").contains("no rule permits jvm ATTACH");
                assertThat(dump).as("the heap dump the other JVM would have written").doesNotExist();
                assertThat(store.all()).filteredOn(receipt -> receipt.operation().equals("ATTACH")).singleElement().satisfies(receipt -> {
                    assertThat(receipt.surface()).isEqualTo("jvm");
                    assertThat(receipt.outcome()).isEqualTo("SILENCE");
                    assertThat(receipt.summary()).containsEntry("jvm.pid", pid).containsEntry("jvm.self", "false")
                            .containsEntry("jvm.via", "unix");
                });
                assertThat(store.all()).noneMatch(receipt -> receipt.surface().equals("net"));
                assertThat(store.verify().exitCode()).isZero();
            }
        } finally {
            assertThat(other.release()).isZero();
        }
    }
}
