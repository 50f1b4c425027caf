package dev.warden.bootstrap.jvm;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Outcome;
import dev.warden.bootstrap.TestGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which management calls are decided, what the rules are told, and how a refusal reaches the caller. */
class JvmActionsTest {

    private final List<ActionRequest> decided = new ArrayList<>();

    @AfterEach
    void uninstall() {
        TestGate.clear();
    }

    private void gateAnswering(Outcome outcome) {
        TestGate.answerAll(outcome, decided);
    }

    @Test
    void aCommandIsDecidedOnItsNameAndTheLineTheJvmWillParse() {
        gateAnswering(Outcome.SILENCE);

        SecurityException refusal = JvmActions.refusalForCommand("JVMTI.agent_load", new String[] {"/tmp/agent.so", "options"});

        assertThat(refusal).hasMessage("warden: denied by rule: because (receipt receipt-1)")
                .hasCauseInstanceOf(ActionDeniedException.class);
        ActionRequest action = decided.get(0);
        assertThat(action.surface()).isEqualTo("jvm");
        assertThat(action.operation()).isEqualTo("COMMAND");
        assertThat(action.target()).isEqualTo("JVMTI.agent_load");
        assertThat(action.attributes()).containsEntry("jvm.line", "JVMTI.agent_load /tmp/agent.so options")
                .containsEntry("jvm.arguments", List.of("/tmp/agent.so", "options"));
    }

    @Test
    void aLineBreakInAnArgumentIsRefusedWithoutAskingTheRulesBecauseTheJvmsParserSeparatesCommandsWithIt() {
        gateAnswering(Outcome.PERMIT);

        SecurityException refusal = JvmActions.refusalForCommand("Thread.print", new String[] {"\nJVMTI.agent_load /tmp/agent.so"});

        assertThat(refusal).isNotNull().hasMessageContaining("line break");
        // What reached the engine is the fail-closed record, not a Thread.print for the rules to permit.
        assertThat(decided).singleElement().satisfies(action -> {
            assertThat(action.operation()).isNotEqualTo("COMMAND");
            assertThat(action.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE);
        });
    }

    @Test
    void aNulWhereNativeCodeWouldEndTheStringIsRefusedWithoutAskingTheRules() {
        gateAnswering(Outcome.PERMIT);

        assertThat(JvmActions.refusalForHeapDump("/var/dumps/authorized_keys\0x.hprof", true)).hasMessageContaining("NUL");
        assertThat(JvmActions.refusalForCommand("VM.log", new String[] {"output=/tmp/a.log\0.permitted"})).hasMessageContaining("NUL");
        assertThat(decided).hasSize(2).allSatisfy(action -> assertThat(action.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE));
    }

    @Test
    void permittedCallsProceed() {
        gateAnswering(Outcome.PERMIT);

        assertThat(JvmActions.refusalForCommand("Thread.print", null)).isNull();
        assertThat(JvmActions.refusalForHeapDump("/var/dumps/a.hprof", true)).isNull();
        assertThat(JvmActions.refusalForOption("PrintConcurrentLocks", "true")).isNull();
        assertThat(decided).extracting(ActionRequest::operation).containsExactly("COMMAND", "HEAP_DUMP", "SET_OPTION");
        assertThat(decided.get(1).attributes()).containsEntry("jvm.file", "/var/dumps/a.hprof").containsEntry("jvm.live", true);
        assertThat(decided.get(2).attributes()).containsEntry("jvm.option", "PrintConcurrentLocks").containsEntry("jvm.value", "true");
    }

    @Test
    void aHeapDumpOptionSetAfterTheStartIsRefusedWithoutAskingTheRules() {
        gateAnswering(Outcome.PERMIT);

        assertThat(JvmActions.refusalForOption("HeapDumpPath", "/var/dumps")).hasMessageContaining("heap dump option");
        assertThat(JvmActions.refusalForOption("HeapDumpOnOutOfMemoryError", "true")).hasMessageContaining("heap dump option");
        assertThat(JvmActions.refusalForCommand("VM.set_flag", new String[] {"HeapDumpAfterFullGC", "true"})).hasMessageContaining("heap dump option");
        assertThat(JvmActions.refusalForCommand("VM.set_flag", new String[] {"flag=HeapDumpPath value=/tmp"})).hasMessageContaining("heap dump option");
        assertThat(decided).hasSize(4).allSatisfy(action -> assertThat(action.attributes()).containsKey(Decision.UNREADABLE_ATTRIBUTE));
    }

    @Test
    void callsTheJdkRefusesBeforeAnythingRunsAreNotDecided() {
        gateAnswering(Outcome.SILENCE);

        assertThat(JvmActions.refusalForCommand("Thread.print", new String[] {null})).isNull();
        assertThat(JvmActions.refusalForHeapDump(null, false)).isNull();
        assertThat(JvmActions.refusalForOption("PrintConcurrentLocks", null)).isNull();
        assertThat(decided).isEmpty();
    }

    @Test
    void wardensOwnWorkIsNotDecided() {
        gateAnswering(Outcome.SILENCE);
        TestGate.capability().runInternally(() -> {
            assertThat(JvmActions.refusalForCommand("GC.heap_dump", new String[] {"/tmp/x.hprof"})).isNull();
            assertThat(JvmActions.refusalForHeapDump("/tmp/x.hprof", true)).isNull();
        });
        assertThat(decided).isEmpty();
    }
}
