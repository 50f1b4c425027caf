package dev.warden.instrumentation.context;

import dev.warden.bootstrap.Handoffs;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.concurrent.ForkJoinTask;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code ForkJoinPool}, the common pool included, and what runs on it ({@code CompletableFuture}'s
 * async stages, parallel streams). Every task enters a work queue through {@code WorkQueue.push}
 * (a worker's fork, and on JDK 19+ every submission) or {@code lockedPush} (JDK 17's external
 * submissions), as the {@code ForkJoinTask} the pool runs (its own adapter of a {@code Runnable} or
 * {@code Callable}): the identity is attached to that task there, and made current around
 * {@code doExec()}, wherever the task runs: on a worker, or on a thread that helps while it joins.
 * A task invoked directly, never queued, runs for the thread that invokes it.
 */
final class ForkJoinInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.util.concurrent.ForkJoinTask");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.util.concurrent.ForkJoinTask");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("doExec").and(takesArguments(0)), RunAdvice.class);
    }

    /** The work queues, where every task is queued. */
    static final class Queue implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("java.util.concurrent.ForkJoinPool$WorkQueue");
        }

        @Override
        public List<String> requiredJdkTypes() {
            return List.of("java.util.concurrent.ForkJoinPool$WorkQueue");
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(namedOneOf("push", "lockedPush").and(takesArgument(0, ForkJoinTask.class)), SubmitAdvice.class);
        }
    }

    /** A worker's loop works for nobody in particular, whoever started its thread. */
    static final class Pool implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("java.util.concurrent.ForkJoinPool");
        }

        @Override
        public List<String> requiredJdkTypes() {
            return List.of("java.util.concurrent.ForkJoinPool");
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("runWorker").and(takesArguments(1)), WorkerAdvice.class);
        }
    }

    static final class SubmitAdvice {

        private SubmitAdvice() {
        }

        @Advice.OnMethodEnter
        static void onEnter(@Advice.Argument(0) ForkJoinTask<?> task) {
            Handoffs.submitted(task);
        }
    }

    static final class RunAdvice {

        private RunAdvice() {
        }

        @Advice.OnMethodEnter
        static Object onEnter(@Advice.This ForkJoinTask<?> task) {
            return Handoffs.taskRuns(task);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter Object switched) {
            Handoffs.end(switched);
        }
    }

    static final class WorkerAdvice {

        private WorkerAdvice() {
        }

        @Advice.OnMethodEnter
        static Object onEnter() {
            return Handoffs.workerStarts(null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter Object switched) {
            Handoffs.end(switched);
        }
    }
}
