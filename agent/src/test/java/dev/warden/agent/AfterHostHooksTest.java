package dev.warden.agent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the JVM's exit sequence cannot be reached (here: a test JVM that does not open {@code java.lang} to the agent's
 * loader, as the agent's start does), Warden's closing is an ordinary shutdown hook instead: registered, not lost.
 * The ordering itself is checked in host JVMs ({@code ExitHooksEndToEndTest}).
 */
class AfterHostHooksTest {

    @Test
    void withoutTheExitSequenceTheClosingIsAnOrdinaryShutdownHook() {
        List<Thread> made = new ArrayList<>();
        ThreadFactory threads = work -> {
            Thread thread = new Thread(work, "warden-test");
            made.add(thread);
            return thread;
        };

        assertThat(AfterHostHooks.register(() -> { }, threads)).isFalse();
        assertThat(made).hasSize(1);
        assertThat(Runtime.getRuntime().removeShutdownHook(made.get(0))).as("registered as a shutdown hook").isTrue();
    }
}
