package dev.warden.agent.engine;

import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Actions that arrive while the engine is assembled wait for it, bounded; a failed assembly refuses them. */
class EngineSlotTest {

    private static final ActionRequest QUERY = new ActionRequest("jdbc", "SELECT", "accounts", java.util.Map.of());
    private static final Decision PERMIT = new Decision(dev.warden.bootstrap.Outcome.PERMIT, true, java.util.List.of("test"), "test engine", null,
            dev.warden.bootstrap.Obligations.NONE);

    @Test
    void anActionArrivingBeforeTheEngineWaitsAndIsDecidedByItOnceInPlace() throws Exception {
        EngineSlot slot = new EngineSlot(Duration.ofMinutes(1));
        CompletableFuture<Decision> decided = new CompletableFuture<>();
        Thread action = new Thread(() -> decided.complete(slot.decide(QUERY)));
        action.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (action.getState() != Thread.State.TIMED_WAITING) { // parked in the slot, not yet decided
            assertThat(action.isAlive()).as("the action waits for the engine").isTrue();
            assertThat(System.nanoTime()).as("the action parked in time").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(decided).isNotDone();

        slot.fill(request -> PERMIT);

        assertThat(decided.get()).isSameAs(PERMIT);
        assertThat(slot.decide(QUERY)).isSameAs(PERMIT);
    }

    @Test
    void anActionIsRefusedWhenTheEngineDoesNotComeWithinTheBound() {
        EngineSlot slot = new EngineSlot(Duration.ofMillis(1));

        Decision decision = slot.decide(QUERY);

        assertThat(decision.outcome()).isEqualTo(dev.warden.bootstrap.Outcome.DENY);
        assertThat(decision.reason()).contains("still starting");
    }

    @Test
    void aFailedAssemblyRefusesEveryActionNamingWhy() {
        EngineSlot slot = new EngineSlot(Duration.ofMinutes(1));
        slot.fail("disk full");

        Decision decision = slot.decide(QUERY);

        assertThat(decision.outcome()).isEqualTo(dev.warden.bootstrap.Outcome.DENY);
        assertThat(decision.reason()).contains("could not start").contains("disk full");
    }

    @Test
    void anInterruptedWaitIsRefusedAndTheThreadKeepsItsInterrupt() {
        EngineSlot slot = new EngineSlot(Duration.ofMinutes(1));
        Thread.currentThread().interrupt();
        try {
            assertThat(slot.decide(QUERY).outcome()).isEqualTo(dev.warden.bootstrap.Outcome.DENY);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theSlotIsFilledOnce() {
        EngineSlot slot = new EngineSlot(Duration.ofMinutes(1));
        Gate.Engine engine = request -> PERMIT;
        slot.fill(engine);

        assertThatThrownBy(() -> slot.fill(engine)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> slot.fail("late")).isInstanceOf(IllegalStateException.class);
        assertThat(slot.decide(QUERY)).isSameAs(PERMIT);
    }
}
