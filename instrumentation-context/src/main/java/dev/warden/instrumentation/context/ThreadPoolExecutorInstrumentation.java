package dev.warden.instrumentation.context;

import dev.warden.bootstrap.Handoffs;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.concurrent.RunnableScheduledFuture;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code ThreadPoolExecutor}, and so every executor service of {@code Executors} but the
 * work-stealing and per-task ones. Every task enters through {@code execute(Runnable)}
 * ({@code submit} wraps it in a {@code FutureTask} first); the scheduled executor queues its own in
 * {@code delayedExecute}. A worker runs its first task, then each task {@code getTask()} returns: the
 * worker's identity is switched there, to the task's or to nobody's, so no task runs for the one
 * before it, whatever the application's {@code beforeExecute}/{@code afterExecute} do. Each hand-over of a task
 * object replaces the identity it carries (a pool may drop a queued task unseen: {@code DiscardOldestPolicy}). A task
 * the pool does not queue ({@code reject}) or takes out unrun ({@code remove}, {@code shutdownNow}) has its identity taken
 * off, so that the object handed over again later does not run for the submission that gave no run. The task
 * objects in the queue stay the application's own.
 */
final class ThreadPoolExecutorInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.util.concurrent.ThreadPoolExecutor");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.util.concurrent.ThreadPoolExecutor");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("execute").and(takesArguments(Runnable.class)), SubmitAdvice.class);
        transformer.applyAdvice(named("getTask").and(takesArguments(0)), TakeAdvice.class);
        transformer.applyAdvice(named("reject").and(takesArguments(Runnable.class)), RejectAdvice.class);
        transformer.applyAdvice(named("remove").and(takesArguments(Runnable.class)), RemoveAdvice.class);
        transformer.applyAdvice(named("drainQueue").and(takesArguments(0)), DrainAdvice.class);
    }

    /** The worker: {@code run()} is its thread's whole loop, and runs the task it was created for first. */
    static final class Worker implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("java.util.concurrent.ThreadPoolExecutor$Worker");
        }

        @Override
        public List<String> requiredJdkTypes() {
            return List.of("java.util.concurrent.ThreadPoolExecutor$Worker");
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("run").and(takesArguments(0)), WorkerAdvice.class);
        }
    }

    /** {@code ScheduledThreadPoolExecutor}: {@code execute}, {@code submit} and {@code schedule} all queue here. */
    static final class Scheduled implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("java.util.concurrent.ScheduledThreadPoolExecutor");
        }

        @Override
        public List<String> requiredJdkTypes() {
            return List.of("java.util.concurrent.ScheduledThreadPoolExecutor");
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("delayedExecute").and(takesArguments(1))
                    .and(takesArgument(0, RunnableScheduledFuture.class)), ScheduleAdvice.class);
        }
    }

    static final class SubmitAdvice {

        private SubmitAdvice() {
        }

        @Advice.OnMethodEnter
        static void onEnter(@Advice.Argument(0) Runnable task) {
            Handoffs.handedToPool(task);
        }
    }

    static final class RejectAdvice {

        private RejectAdvice() {
        }

        @Advice.OnMethodEnter
        static void onEnter(@Advice.Argument(0) Runnable task) {
            Handoffs.rejected(task);
        }
    }

    static final class RemoveAdvice {

        private RemoveAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Argument(0) Runnable task, @Advice.Return boolean removed) {
            if (removed) {
                Handoffs.unqueued(task);
            }
        }
    }

    static final class DrainAdvice {

        private DrainAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Return List<Runnable> drained) {
            Handoffs.unqueuedAll(drained);
        }
    }

    static final class ScheduleAdvice {

        private ScheduleAdvice() {
        }

        @Advice.OnMethodEnter
        static void onEnter(@Advice.Argument(0) RunnableScheduledFuture<?> task) {
            Handoffs.scheduled(task);
        }
    }

    static final class TakeAdvice {

        private TakeAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Return Runnable task) {
            Handoffs.workerTakes(task);
        }
    }

    static final class WorkerAdvice {

        private WorkerAdvice() {
        }

        @Advice.OnMethodEnter
        static Object onEnter(@Advice.FieldValue("firstTask") Runnable firstTask) {
            return Handoffs.workerStarts(firstTask);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter Object switched) {
            Handoffs.end(switched);
        }
    }
}
