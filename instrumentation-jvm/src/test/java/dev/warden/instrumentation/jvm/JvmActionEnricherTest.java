package dev.warden.instrumentation.jvm;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.instrumentation.api.ActionDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What rules and receipts see of a diagnostic command, a heap dump and a VM option. */
class JvmActionEnricherTest {

    @TempDir
    Path workspace;

    @Test
    void aCommandIsDescribedByTheNameTheJvmListsAndTheLineItParses() {
        ActionDescription action = new JvmActionEnricher("/srv/app").describe(new ActionRequest("jvm", "COMMAND", "GC.heap_dump",
                Map.of("jvm.command", "GC.heap_dump", "jvm.arguments", List.of("-all", "/tmp/x.hprof"),
                        "jvm.line", "GC.heap_dump -all /tmp/x.hprof")));

        assertThat(action.target()).isEqualTo("GC.heap_dump");
        assertThat(action.summary()).containsOnly(Map.entry("jvm.line", "GC.heap_dump -all /tmp/x.hprof"));
        assertThat(JvmActionEnricher.FACTS.undeclared(action)).isEmpty();
    }

    @Test
    void aHeapDumpsPathIsWhereTheKernelWillWriteItLinksFollowed() throws Exception {
        Path dumps = Files.createDirectories(workspace.resolve("dumps"));
        Path elsewhere = Files.createDirectories(workspace.resolve("home/user"));
        Files.createSymbolicLink(dumps.resolve("link"), elsewhere);
        JvmActionEnricher enricher = new JvmActionEnricher(workspace.toString());

        // Read lexically, dumps/link/../x.hprof is in dumps; the kernel follows the link first and writes in home.
        ActionDescription throughLink = enricher.describe(heapDump(dumps + "/link/../x.hprof"));
        ActionDescription relative = enricher.describe(heapDump("dumps/y.hprof"));
        ActionDescription nowhere = enricher.describe(heapDump(workspace + "/missing/z.hprof"));

        assertThat(throughLink.target()).isEqualTo(workspace.toRealPath().resolve("home/x.hprof").toString());
        assertThat(throughLink.attributes()).containsEntry("jvm.file", dumps + "/link/../x.hprof");
        assertThat(nowhere.target()).isEqualTo(workspace + "/missing/z.hprof");
        assertThat(nowhere.targets()).as("no path a rule could name").isEmpty();
        assertThat(throughLink.attributes()).containsEntry("jvm.path", workspace.toRealPath().resolve("home/x.hprof").toString());
        assertThat(relative.attributes()).containsEntry("jvm.path", dumps.toRealPath().resolve("y.hprof").toString());
        assertThat(nowhere.attributes()).doesNotContainKey("jvm.path");
        assertThat(relative.summary()).containsEntry("jvm.live", "true").containsKey("jvm.path");
        assertThat(JvmActionEnricher.FACTS.undeclared(relative)).isEmpty();
    }

    @Test
    void aLongLineIsCutInTheReceiptButNotForTheRules() {
        String line = "VM.log " + "x".repeat(2_000);
        ActionDescription action = new JvmActionEnricher("/").describe(new ActionRequest("jvm", "COMMAND", "VM.log",
                Map.of("jvm.command", "VM.log", "jvm.line", line)));

        assertThat(action.summary().get("jvm.line")).hasSize(JvmActionEnricher.MAX_SUMMARY_CHARS + 3);
        assertThat(action.attributes()).containsEntry("jvm.line", line);
    }

    @Test
    void anAttachIsDescribedByTheSocketsRealPathAndTheNameConnectedTo() {
        ActionDescription action = new JvmActionEnricher("/").describe(new ActionRequest("jvm", "ATTACH", "/tmp/.java_pid42",
                Map.of("jvm.socket", "/tmp/link-to-it", "jvm.via", "unix")));

        assertThat(action.target()).isEqualTo("/tmp/.java_pid42");
        assertThat(action.summary()).containsEntry("jvm.socket", "/tmp/link-to-it").containsEntry("jvm.via", "unix");
        assertThat(JvmActionEnricher.FACTS.undeclared(action)).isEmpty();
    }

    @Test
    void anAttachClientsIdIsThisJvmWhenItIsOurProcessOrOneOfOurThreads() throws Exception {
        JvmActionEnricher enricher = new JvmActionEnricher("/");
        String ownThread;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            long pid = ProcessHandle.current().pid();
            ownThread = tasks.map(task -> task.getFileName().toString()).filter(id -> !id.equals(Long.toString(pid))).findFirst().orElseThrow();
        }

        assertThat(enricher.describe(attach(Long.toString(ProcessHandle.current().pid()))).attributes()).containsEntry("jvm.self", true);
        assertThat(enricher.describe(attach(ownThread)).attributes()).containsEntry("jvm.self", true);
        assertThat(enricher.describe(attach("+" + ownThread)).attributes()).as("read as the attach client reads it").containsEntry("jvm.self", true);
        assertThat(enricher.describe(attach("0" + ownThread)).attributes()).containsEntry("jvm.self", true);
        assertThat(enricher.describe(attach("1")).attributes()).containsEntry("jvm.self", false);
        assertThat(enricher.describe(attach("not-a-pid")).attributes()).containsEntry("jvm.self", false);
        assertThat(JvmActionEnricher.FACTS.undeclared(enricher.describe(attach("1")))).isEmpty();
    }

    private static ActionRequest attach(String id) {
        return new ActionRequest("jvm", "ATTACH", id, Map.of("jvm.pid", id, "jvm.via", "attach-api"));
    }

    private static ActionRequest heapDump(String file) {
        return new ActionRequest("jvm", "HEAP_DUMP", file, Map.of("jvm.file", file, "jvm.live", true));
    }
}
