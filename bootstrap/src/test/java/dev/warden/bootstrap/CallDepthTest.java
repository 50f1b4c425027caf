package dev.warden.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class CallDepthTest {

    // A surface of its own per test class, so no other test's frames can be on this thread.
    private final CallDepth depth = CallDepth.of("call-depth-test");

    @AfterEach
    void leaveInternal() { // even when a test failed while marked internal
        Gate.exitInternal(false);
    }

    @Test
    void onlyTheOutermostCallOfASurfaceIsDecided() {
        assertThat(depth.enter()).isTrue();
        assertThat(depth.enter()).as("a proxy statement's driver statement").isFalse();
        depth.exit();
        depth.exit();
        assertThat(depth.enter()).as("the next statement").isTrue();
        depth.exit();
    }

    @Test
    void aCallForTheSameCarrierInsideItsOwnIsNotDecidedAgain() {
        Object request = new Object();
        assertThat(depth.enter(request)).isTrue();
        assertThat(depth.enter(request)).as("send delegating to sendAsync").isFalse();
        depth.exit();
        depth.exit();
    }

    @Test
    void aCallForAnotherCarrierInsideAPermittedOneIsDecided() {
        Object outer = new Object();
        Object tokenRefresh = new Object();
        assertThat(depth.enter(outer)).isTrue();
        assertThat(depth.enter(tokenRefresh)).isTrue();
        assertThat(depth.enter(outer)).as("back to the outer request, deeper down").isFalse();
        depth.exit();
        depth.exit();
        depth.exit();
        assertThat(depth.enter(outer)).as("the same object, sent again later").isTrue();
        depth.exit();
    }

    @Test
    void framesAreDeepEnoughForAnyNesting() {
        Object[] carriers = new Object[20];
        for (int i = 0; i < carriers.length; i++) {
            carriers[i] = new Object();
            assertThat(depth.enter(carriers[i])).isTrue();
        }
        assertThat(depth.enter(carriers[0])).isFalse();
        for (int i = 0; i <= carriers.length; i++) {
            depth.exit();
        }
        assertThat(depth.enter()).as("every frame popped").isTrue();
        depth.exit();
    }

    @Test
    void anExitWithoutAnEnterChangesNothing() {
        depth.exit();
        assertThat(depth.enter()).isTrue();
        depth.exit();
    }

    @Test
    void wardensOwnWorkIsNeverDecided() {
        boolean wasInternal = Gate.enterInternal();
        assertThat(depth.enter()).isFalse();
        assertThat(depth.enter(new Object())).isFalse();
        depth.exit();
        depth.exit();
        Gate.exitInternal(wasInternal);
    }

    @Test
    void framesBelongToTheirThread() throws Exception {
        Object request = new Object();
        assertThat(depth.enter(request)).isTrue();
        boolean decidedElsewhere = CompletableFuture.supplyAsync(() -> {
            boolean decided = depth.enter(request);
            depth.exit();
            return decided;
        }).get();
        assertThat(decidedElsewhere).isTrue();
        depth.exit();
    }
}
