package dev.warden.e2e;

import dev.warden.e2e.host.ExitHookHost;
import dev.warden.e2e.host.FileHost;
import dev.warden.receipts.Receipt;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What a host does at exit, in its own shutdown hooks, as a JFR recording dumped at exit or as the deletions of
 * {@code File.deleteOnExit}, is decided and recorded as anything else it does: Warden closes the receipt log after
 * them. Hosts started with only {@code -javaagent} (and the JFR options the test gives it); what is on disk
 * is read by the test.
 */
class ExitHooksEndToEndTest {

    /** The host's, so that its hook can run after every other one: Warden needs no option but {@code -javaagent}. */
    private static final String SEES_THE_HOOKS = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    private static final String NOT_ORDERED = "cannot order Warden's closing";

    @TempDir
    Path workspace;

    private Path work;
    private Receipts store;
    private Path rules;

    @BeforeEach
    void createDirectories() throws Exception {
        work = Files.createDirectories(workspace.toRealPath().resolve("work"));
        store = Receipts.in(Files.createDirectories(workspace.resolve("audit")));
        rules = FileRules.workingDirectoryOnly(workspace.resolve("rules"), work);
    }

    @Test
    void aFileTheHostsShutdownHookWritesLastIsPermittedAndRecorded() throws Exception {
        Path written = work.resolve("at-exit.txt");

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).jvm(SEES_THE_HOOKS)
                .run(ExitHookHost.class, List.of(written.toString()));

        assertThat(host.lines()).as(host.toString()).contains("MAIN DONE", "EXIT-HOOK OK");
        assertThat(host.toString()).doesNotContain(NOT_ORDERED);
        assertThat(written).hasContent("written at exit");
        assertThat(permittedWritesOf(written)).as(host.toString()).hasSize(1);
        assertThat(store.verify().exitCode()).as(store.verify().output()).isZero();
    }

    @Test
    void aFileMarkedToBeDeletedOnExitIsDeletedAndRecorded() throws Exception {
        Path temporary = work.resolve("scratch.tmp");

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules).jvm(SEES_THE_HOOKS)
                .run(ExitHookHost.class, List.of(work.resolve("at-exit.txt").toString(), temporary.toString()));

        assertThat(host.lines()).as(host.toString()).contains("MAIN DONE", "EXIT-HOOK OK");
        assertThat(host.toString()).doesNotContain(NOT_ORDERED);
        assertThat(temporary).doesNotExist();
        assertThat(store.all()).as(host.toString())
                .filteredOn(receipt -> receipt.surface().equals("file") && receipt.target().equals(temporary.toString()))
                .extracting(Receipt::operation, Receipt::outcome)
                .containsExactly(tuple("WRITE", "PERMIT"), tuple("DELETE", "PERMIT"));
        assertThat(store.verify().exitCode()).as(store.verify().output()).isZero();
    }

    @Test
    void aJfrRecordingDumpedAtExitIsWrittenAndRecorded() throws Exception {
        Path recording = work.resolve("exit.jfr");

        HostJvm.Result host = HostJvm.withAgent(store.agentArguments()).with("rules=" + rules)
                .jvm("-XX:StartFlightRecording=filename=" + recording)
                .jvm("-XX:FlightRecorderOptions=repository=" + work.resolve("jfr-repository"))
                .run(FileHost.class, List.of());

        assertThat(host.lines()).as(host.toString()).contains("DONE");
        assertThat(host.toString()).doesNotContain("Unable to complete I/O operation", NOT_ORDERED);
        assertThat(eventsIn(recording)).as("events in the dumped recording").isPositive();
        assertThat(permittedWritesOf(recording)).as(host.toString()).isNotEmpty();
        assertThat(store.verify().exitCode()).as(store.verify().output()).isZero();
    }

    private List<Receipt> permittedWritesOf(Path file) throws Exception {
        return store.all().stream()
                .filter(receipt -> receipt.surface().equals("file") && receipt.target().equals(file.toString()))
                .filter(receipt -> receipt.outcome().equals("PERMIT"))
                .toList();
    }

    private static long eventsIn(Path recording) throws Exception {
        long events = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                events += event == null ? 0 : 1;
            }
        }
        return events;
    }
}
