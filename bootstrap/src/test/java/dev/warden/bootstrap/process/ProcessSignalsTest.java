package dev.warden.bootstrap.process;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.TestGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Which ends of processes are decided (thirteenth review, 2026-12-08): those of processes this JVM did not start. */
class ProcessSignalsTest {

    private final List<ActionRequest> decided = new ArrayList<>();

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    private void gateAnswering(Outcome outcome) {
        TestGate.answerAll(outcome, decided);
    }

    @Test
    void aProcessThisJvmDidNotStartIsDecidedAsKillOfWhatItRuns() throws Exception {
        gateAnswering(Outcome.DENY);
        // Not our child: the sleep is started by a shell that is gone by the time the sleep is signalled.
        Process shell = new ProcessBuilder("/bin/sh", "-c", "setsid sleep 30 >/dev/null 2>&1 </dev/null & echo $!").start();
        long pid = Long.parseLong(new String(shell.getInputStream().readAllBytes()).strip());
        shell.waitFor(10, TimeUnit.SECONDS);
        ProcessHandle orphan = ProcessHandle.of(pid).orElseThrow();
        try {
            assertThat(ProcessSignals.descendant(orphan)).isFalse();
            assertThat(ProcessSignals.refusesDestroy(orphan, true)).isTrue();
            ActionRequest action = decided.get(0);
            assertThat(action.surface()).isEqualTo("process");
            assertThat(action.operation()).isEqualTo("KILL");
            assertThat(action.attributes()).containsEntry("process.pid", pid).containsEntry("process.signal", "SIGKILL");
            // What it runs as the kernel says at the decision (the shell may not have run sleep yet): never empty.
            assertThat(action.target()).isNotEmpty();
            assertThat(orphan.isAlive()).isTrue();
        } finally {
            TestGate.clear();
            orphan.destroyForcibly();
        }
    }

    @Test
    void aProcessThisJvmStartedIsEndedWithoutADecision() throws Exception {
        gateAnswering(Outcome.DENY);
        Process child = new ProcessBuilder("/bin/sleep", "30").start();
        try {
            assertThat(ProcessSignals.descendant(child.toHandle())).isTrue();
            assertThat(ProcessSignals.refusesDestroy(child.toHandle(), false)).isFalse();
            assertThat(decided).isEmpty();
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theParentOfThisJvmIsNoDescendant() {
        ProcessHandle.current().parent().ifPresent(parent -> assertThat(ProcessSignals.descendant(parent)).isFalse());
    }
}
