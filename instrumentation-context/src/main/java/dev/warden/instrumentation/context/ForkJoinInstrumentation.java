package dev.warden.instrumentation.context;

import dev.warden.bootstrap.Handoffs;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.concurrent.ForkJoinTask;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
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

    /**
     * JDK 25+: the pool schedules delayed tasks itself ({@code schedule}, {@code scheduleAtFixedRate}...,
     * {@code submitWithTimeout}, and {@code CompletableFuture}'s {@code delayedExecutor} and timeouts), each a
     * {@code DelayScheduler.ScheduledForkJoinTask} made on the scheduling thread; the pool's scheduler thread,
     * which works for nobody, submits it when due (it is queued as above, where nothing is attached then) or runs
     * it itself ({@code doExec}, as above). The identity is attached where the task is made; a periodic one
     * ({@code nextDelay} not zero) carries none. On JDK 17 to 24 the class does not exist: they delay through a
     * {@code ScheduledThreadPoolExecutor}.
     */
    static final class Scheduled implements TypeInstrumentation {

        static final String TASK = "java.util.concurrent.DelayScheduler$ScheduledForkJoinTask";

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named(TASK);
        }

        /** Required from JDK 25, where the pool schedules: a JDK that renames the constructor must not start. */
        @Override
        public List<String> requiredJdkTypes() {
            return Runtime.version().feature() >= 25 ? List.of(TASK) : List.of();
        }

        @Override
        public List<String> optionalJdkTypes() {
            return List.of(TASK);
        }

        @Override
        public boolean requiresEveryAdvice() {
            return true;
        }

        @Override
        public void transform(TypeTransformer transformer) {
            // (long delay, long nextDelay, boolean isImmediate, Runnable, Callable, ForkJoinPool)
            transformer.applyAdvice(isConstructor().and(takesArguments(6)).and(takesArgument(1, long.class))
                    .and(takesArgument(3, Runnable.class)), ScheduleAdvice.class);
        }
    }

    static final class ScheduleAdvice {

        private ScheduleAdvice() {
        }

        @Advice.OnMethodExit
        static void onExit(@Advice.This Object task, @Advice.Argument(1) long nextDelay) {
            Handoffs.scheduled(task, nextDelay != 0L);
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
