package dev.warden.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Which layers a thread's identity gets from whom, and who cannot change it. */
class ThreadIdentityTest {

    private Outcome outcome = Outcome.PERMIT;
    private boolean enforced = true;

    @BeforeEach
    void answer() {
        TestGate.answerWith(request -> new Decision(outcome, enforced, List.of("r"), "ok", "receipt", Obligations.NONE));
    }

    @AfterEach
    void clear() {
        TestGate.clear();
        ThreadIdentity.set(null);
    }

    private static ActionRequest toolCall(String session) {
        return new ActionRequest("tool", "crm_read", "crm_read", Map.of("actor", "sales-assistant", "onBehalfOf", "rita",
                "session", session));
    }

    @Test
    void aPermittedToolCallActsForItsIdentityUntilItEnds() {
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("rita-1"));

        assertThat(ThreadIdentity.current().call()).isEqualTo(new WardenContext.Identity("sales-assistant", "rita", "rita-1"));
        assertThat(ThreadIdentity.current().binds()).isTrue();
        tool.exit();
        assertThat(ThreadIdentity.current()).isNull();
    }

    @Test
    void aCallMadeInsideAPermittedCallIsForThatCallWhateverItNames() {
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("s4"));

        // A nested AI service's tool call, given a memory id the model chose through the outer tool's arguments.
        ActionScope nested = ActionScope.enter("tool");
        nested.decide(new ActionRequest("tool", "send_mail", "send_mail", Map.of("actor", "chosen", "session", "c1")));
        assertThat(ThreadIdentity.current().call()).isEqualTo(new WardenContext.Identity("sales-assistant", "rita", "s4"));
        assertThat(ThreadIdentity.bindingCall(null)).isEqualTo(new WardenContext.Identity("sales-assistant", "rita", "s4"));
        ActionScope model = ActionScope.enter("model");
        model.decide(new ActionRequest("model", "chat", "scripted-1", Map.of("session", "c1")));
        assertThat(ThreadIdentity.current().call().session()).isEqualTo("s4");
        model.exit();
        nested.exit();
        assertThat(ThreadIdentity.current().call().session()).isEqualTo("s4");
        tool.exit();
        assertThat(ThreadIdentity.current()).isNull();
    }

    @Test
    void aModelCallNamingNobodyBindsNothingSoTheToolCallsItsHandlerMakesNameThemselves() {
        ActionScope model = ActionScope.enter("model");
        model.decide(new ActionRequest("model", "chat", "scripted-1", Map.of("model.name", "scripted-1")));
        assertThat(ThreadIdentity.current().binds()).isFalse();
        assertThat(ThreadIdentity.bindingCall(null)).isNull();

        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("m1"));
        assertThat(ThreadIdentity.current().call().session()).isEqualTo("m1");
        assertThat(ThreadIdentity.current().binds()).isTrue();
        tool.exit();
        model.exit();
        assertThat(ThreadIdentity.current()).isNull();
    }

    @Test
    void aToolCallNamingNobodyStillBindsWhatItCauses() {
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(new ActionRequest("tool", "ask_colleague", "ask_colleague", Map.of("tool.name", "ask_colleague")));
        ActionScope nested = ActionScope.enter("tool");
        nested.decide(toolCall("c1"));

        assertThat(ThreadIdentity.current().call()).isEqualTo(new WardenContext.Identity(null, null, null));
        nested.exit();
        tool.exit();
    }

    @Test
    void aRefusedCallActsForNobodyButAShadowModeRefusalStillRuns() {
        outcome = Outcome.DENY;
        ActionScope refused = ActionScope.enter("tool");
        refused.decide(toolCall("rita-1"));
        assertThat(ThreadIdentity.current()).isNull();
        refused.exit();

        enforced = false;
        ActionScope shadow = ActionScope.enter("tool");
        shadow.decide(toolCall("rita-1"));
        assertThat(ThreadIdentity.current().call().session()).isEqualTo("rita-1");
        shadow.exit();
    }

    @Test
    void onlyCallsActForSomeoneNotTheActionsTheyMake() {
        ActionScope jdbc = ActionScope.enter("jdbc");
        jdbc.decide(new ActionRequest("jdbc", null, null, Map.of("session", "forged")));

        assertThat(ThreadIdentity.current()).isNull();
        jdbc.exit();
    }

    @Test
    void closingAnExplicitIdentityInsideACallLeavesTheCallsIdentity() {
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("rita-1"));
        WardenContext.Scope explicit = WardenContext.actAs("support-bot", null, null);
        assertThat(WardenContext.current().actor()).isEqualTo("support-bot");
        explicit.close();

        assertThat(WardenContext.current().actor()).isNull();
        assertThat(ThreadIdentity.current().call().session()).isEqualTo("rita-1");
        tool.exit();
    }

    @Test
    void aCallEndingKeepsWhatTheHostSetExplicitly() {
        try (WardenContext.Scope ignored = WardenContext.actAs("support-bot", "alice", "session-42")) {
            ActionScope tool = ActionScope.enter("tool");
            tool.decide(toolCall("rita-1"));
            tool.exit();

            assertThat(ThreadIdentity.current().explicit()).isEqualTo(new WardenContext.Identity("support-bot", "alice", "session-42"));
            assertThat(ThreadIdentity.current().call()).isNull();
        }
        assertThat(WardenContext.current()).isEqualTo(new WardenContext.Identity(null, null, null));
    }

    @Test
    void aThreadStartedInsideACallRunsForItAndOnlyOnItself() throws Exception {
        AtomicReference<ThreadIdentity> seen = new AtomicReference<>();
        Thread[] started = new Thread[1];
        started[0] = new Thread(() -> {
            Object switched = Handoffs.threadRuns(started[0]);
            seen.set(ThreadIdentity.current());
            Handoffs.end(switched);
        });
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("rita-1"));
        Handoffs.submitted(started[0]);
        tool.exit();
        // Another thread asking for it gets nothing, and leaves it for the thread itself.
        Handoffs.end(Handoffs.threadRuns(started[0]));
        assertThat(ThreadIdentity.current()).isNull();

        started[0].start();
        started[0].join();

        assertThat(seen.get().call().session()).isEqualTo("rita-1");
    }

    @Test
    void aCallMadeOnAThreadTheBindingCallStartedIsForThatCallToo() throws Exception {
        AtomicReference<WardenContext.Identity> seen = new AtomicReference<>();
        Thread[] started = new Thread[1];
        started[0] = new Thread(() -> {
            Object switched = Handoffs.threadRuns(started[0]);
            ActionScope nested = ActionScope.enter("tool");
            nested.decide(toolCall("c1"));
            seen.set(ThreadIdentity.current().call());
            nested.exit();
            Handoffs.end(switched);
        });
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("s4"));
        Handoffs.submitted(started[0]);
        tool.exit();

        started[0].start();
        started[0].join();

        assertThat(seen.get().session()).isEqualTo("s4");
    }

    @Test
    void hostCodeCannotTakeOnTheIdentityHandedOffWithSomebodyElsesTask() throws Exception {
        Runnable task = () -> { };
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("victim-1"));
        Handoffs.submitted(task);
        tool.exit();

        // This test's class is not the JDK's pool code: the restoring hooks change nothing for it.
        CompletableFuture.runAsync(() -> {
            Handoffs.workerTakes(task);
            assertThat(ThreadIdentity.current()).isNull();
            Object switched = Handoffs.taskRuns(task);
            assertThat(ThreadIdentity.current()).isNull();
            Handoffs.end(switched);
            Handoffs.end(Handoffs.workerStarts(task));
            assertThat(ThreadIdentity.current()).isNull();
        }, runnable -> new Thread(runnable).start()).get();
    }

    @Test
    void aTaskObjectHandedToAPoolAgainRunsForWhoHandedItOverLast() {
        // rita's submission of a kept task object was dropped unseen (DiscardOldestPolicy): max hands the object over next.
        Runnable kept = () -> { };
        ActionScope rita = ActionScope.enter("tool");
        rita.decide(toolCall("rita-1"));
        Handoffs.handedToPool(kept);
        rita.exit();
        ActionScope max = ActionScope.enter("tool");
        max.decide(new ActionRequest("tool", "crm_read", "crm_read", Map.of("actor", "sales-assistant", "onBehalfOf", "max",
                "session", "max-2")));
        Handoffs.handedToPool(kept);
        max.exit();

        assertThat(Handoffs.attachedTo(kept).call().session()).isEqualTo("max-2");
        // Host code with no identity cannot take a hand-off's identity off through the hook: only the JDK's pool code can.
        Handoffs.handedToPool(kept);
        assertThat(Handoffs.attachedTo(kept).call().session()).isEqualTo("max-2");
    }

    @Test
    void aThreadWhoseLastLayerEndsHasNoIdentityLeftAndHandsOffNone() {
        WardenContext.actAs("support-bot", "alice", "session-42").close();
        assertThat(ThreadIdentity.current()).isNull();

        // A scope closed inside a call, the call ending after it: nothing is left either.
        WardenContext.Scope explicit = WardenContext.actAs("support-bot", "alice", "session-42");
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("rita-1"));
        explicit.close();
        tool.exit();
        assertThat(ThreadIdentity.current()).isNull();

        // An empty identity would pin what the thread hands off to nobody: a stage would not run for the future it
        // depends on, and every hand-off would cost an entry.
        Object task = new Object();
        Object stage = new Object();
        Object dependent = new Object();
        Object future = new Object();
        Handoffs.submitted(task);
        Handoffs.stageMade(stage, dependent, new Object());
        Handoffs.carry(future);
        assertThat(Handoffs.attachedTo(task)).isNull();
        assertThat(Handoffs.attachedTo(stage)).isNull();
        assertThat(Handoffs.carriedBy(dependent)).isNull();
        assertThat(Handoffs.carriedBy(future)).isNull();
    }

    @Test
    void aTaskAPoolSchedulesOnceCarriesTheCallsIdentityAPeriodicOneNone() {
        Object once = new Object();
        Object periodic = new Object();
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("rita-1"));
        Handoffs.scheduled(once, false);
        Handoffs.scheduled(periodic, true);
        tool.exit();

        assertThat(Handoffs.attachedTo(once).call().session()).isEqualTo("rita-1");
        assertThat(Handoffs.attachedTo(periodic)).isNull();
    }

    @Test
    void aStageMadeInsideACallRunsForItAndTheFutureItMakesCarriesIt() {
        Object stage = new Object();
        Object dependent = new Object();
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("rita-1"));
        Handoffs.stageMade(stage, dependent, new Object());
        tool.exit();

        assertThat(Handoffs.attachedTo(stage).call().session()).isEqualTo("rita-1");
        assertThat(Handoffs.carriedBy(dependent).call().session()).isEqualTo("rita-1");
    }

    @Test
    void hostCodeWithNoIdentityCannotLendItselfTheIdentityAFutureCarries() {
        Object future = new Object();
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("victim-1"));
        Handoffs.carry(future);
        tool.exit();

        // Only CompletableFuture's own stage code inherits what the future it depends on carries.
        Object stage = new Object();
        Object dependent = new Object();
        Handoffs.stageMade(stage, dependent, future);
        assertThat(Handoffs.attachedTo(stage)).isNull();
        assertThat(Handoffs.carriedBy(dependent)).isNull();
    }

    @Test
    void whatAFutureCarriesOrAStageWasMadeWithIsNeverReplaced() {
        Object future = new Object();
        Object stage = new Object();
        ActionScope victim = ActionScope.enter("tool");
        victim.decide(toolCall("victim-1"));
        Handoffs.carry(future);
        Handoffs.stageMade(stage, new Object(), null);
        victim.exit();

        ActionScope other = ActionScope.enter("tool");
        other.decide(toolCall("other-2"));
        Handoffs.carry(future);
        Handoffs.stageMade(stage, future, null);
        other.exit();

        assertThat(Handoffs.carriedBy(future).call().session()).isEqualTo("victim-1");
        assertThat(Handoffs.attachedTo(stage).call().session()).isEqualTo("victim-1");
    }

    @Test
    void hostCodeCannotTakeOnTheIdentityOfAStageNorTakeItOff() {
        Object stage = new Object();
        ActionScope tool = ActionScope.enter("tool");
        tool.decide(toolCall("victim-1"));
        Handoffs.stageMade(stage, new Object(), null);
        tool.exit();

        // This test's class is not one of CompletableFuture's stages.
        Object switched = Handoffs.stageFires(stage);
        assertThat(ThreadIdentity.current()).isNull();
        Handoffs.stageFired(stage, null, switched);
        assertThat(Handoffs.attachedTo(stage).call().session()).isEqualTo("victim-1");
    }

    @Test
    void hostCodeCannotEnterAnInvocationOfItsOwnThroughTheThreadIdentity() {
        Object entered = ThreadIdentity.enterInvocation("admin", "root", "session-0", null);

        assertThat(ThreadIdentity.current()).isNull();
        ThreadIdentity.exitInvocation(entered);
        assertThat(ThreadIdentity.current()).isNull();
    }
}
