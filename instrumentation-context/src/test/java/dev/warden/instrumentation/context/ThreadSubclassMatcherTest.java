package dev.warden.instrumentation.context;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ForkJoinWorkerThread;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadSubclassMatcherTest {

    private final ElementMatcher<TypeDescription> matcher = new ThreadInstrumentation.Subclasses().typeMatcher();

    static class Worker extends Thread {
        @Override
        public void run() {
        }
    }

    /** Two levels below Thread, and an interface on the way: the whole super class chain counts. */
    static class NamedWorker extends Worker implements Runnable {
    }

    static class NotAThread implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void matchesTheApplicationsThreadSubclassesAtAnyDepth() {
        assertThat(matcher.matches(TypeDescription.ForLoadedType.of(Worker.class))).isTrue();
        assertThat(matcher.matches(TypeDescription.ForLoadedType.of(NamedWorker.class))).isTrue();
    }

    @Test
    void leavesRunnablesAndTheJdksOwnThreadsAlone() {
        assertThat(matcher.matches(TypeDescription.ForLoadedType.of(NotAThread.class))).isFalse();
        assertThat(matcher.matches(TypeDescription.ForLoadedType.of(Runnable.class))).isFalse();
        assertThat(matcher.matches(TypeDescription.ForLoadedType.of(Thread.class))).isFalse();
        assertThat(matcher.matches(TypeDescription.ForLoadedType.of(ForkJoinWorkerThread.class))).isFalse();
    }
}
