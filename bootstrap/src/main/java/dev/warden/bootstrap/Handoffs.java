package dev.warden.bootstrap;

import java.util.concurrent.RunnableScheduledFuture;

/**
 * Work a thread hands to another carries the identity it was handed off with: a task submitted to a
 * pool ({@code ThreadPoolExecutor}, {@code ForkJoinPool}, and what builds on them:
 * {@code CompletableFuture}, executor services) or a thread started. The submitting side attaches
 * the thread's {@link ThreadIdentity} to the task object itself, never wrapping it (the pool's queue,
 * {@code shutdownNow()}, and the task's own methods see the host's object); the running side makes
 * it current around the task, and takes it off the task, so that one submission gives one run.
 * <p>
 * Capturing costs one ThreadLocal read when the thread has no identity, as most submissions have
 * none. Restoring changes a thread's identity, so it is honoured only from the JDK's own pool code
 * ({@link Callers}) or, for a thread, on that very thread: host code calling these hooks cannot take
 * on the identity another session handed to a pool.
 */
public final class Handoffs {

    private static final Attachment<ThreadIdentity> HANDED_OFF = new Attachment<>();

    /** What {@link #end} restores: nothing when the hook changed nothing. */
    private static final Object UNCHANGED = new Object();

    private Handoffs() {
    }

    /** A task handed to a pool, or a thread about to start: it will run for the current thread's identity. */
    public static void submitted(Object task) {
        ThreadIdentity current = ThreadIdentity.get();
        if (current == null || task == null || Gate.isInternal()) {
            return; // nobody in particular; or Warden's own work, which is nobody's
        }
        // The first submission not yet run wins: a task queued twice runs first for who queued it first.
        HANDED_OFF.setIfAbsent(task, current);
    }

    /**
     * A task scheduled on a {@code ScheduledThreadPoolExecutor}. A periodic task is recurring work of
     * the application's, not work handed off by the call that scheduled it: it carries no identity.
     */
    public static void scheduled(RunnableScheduledFuture<?> task) {
        if (ThreadIdentity.get() == null || task == null) {
            return;
        }
        boolean periodic;
        try {
            periodic = task.isPeriodic();
        } catch (RuntimeException | Error unreadable) {
            periodic = true; // a decorated task that cannot say: not taken for a hand-off
        }
        if (!periodic) {
            submitted(task);
        }
    }

    /**
     * A thread begins to run: the identity it was started with becomes current on it.
     *
     * @return what to pass to {@link #end} when its run ends
     */
    public static Object threadRuns(Thread thread) {
        if (thread != Thread.currentThread()) {
            return UNCHANGED;
        }
        ThreadIdentity handedOff = HANDED_OFF.isEmpty() ? null : HANDED_OFF.remove(thread);
        return handedOff == null ? UNCHANGED : switchTo(handedOff);
    }

    /**
     * A pool task runs ({@code ForkJoinTask.doExec}): its identity becomes current around it. A task
     * nobody handed off with an identity (one the thread invokes itself) leaves the thread's as it is.
     *
     * @return what to pass to {@link #end}
     */
    public static Object taskRuns(Object task) {
        ThreadIdentity handedOff = handedOff(task);
        if (handedOff == null || !Callers.isPool(Callers.WALKER.getCallerClass())) {
            return UNCHANGED;
        }
        HANDED_OFF.remove(task);
        return switchTo(handedOff);
    }

    /**
     * A pool worker's loop begins ({@code ThreadPoolExecutor}'s worker, {@code ForkJoinPool.runWorker}):
     * it works for nobody in particular, whoever started its thread, until it takes a task; and its
     * first task, if it has one, is taken now.
     *
     * @param firstTask the task the worker was created for, or null
     * @return what to pass to {@link #end} when the loop ends
     */
    public static Object workerStarts(Object firstTask) {
        ThreadIdentity handedOff = handedOff(firstTask);
        if ((handedOff == null && ThreadIdentity.get() == null) || !Callers.isPool(Callers.WALKER.getCallerClass())) {
            return UNCHANGED;
        }
        HANDED_OFF.remove(firstTask);
        return switchTo(handedOff);
    }

    /**
     * A {@code ThreadPoolExecutor} worker took its next task: from now until it takes another, the
     * thread works for the task's identity, or for nobody in particular.
     */
    public static void workerTakes(Object task) {
        ThreadIdentity handedOff = handedOff(task);
        if ((handedOff == null && ThreadIdentity.get() == null) || !Callers.isPool(Callers.WALKER.getCallerClass())) {
            return;
        }
        HANDED_OFF.remove(task);
        ThreadIdentity.set(handedOff);
    }

    /** Restores what a hook changed, on the thread it changed it on. */
    public static void end(Object switched) {
        if (switched instanceof Switched && ((Switched) switched).thread == Thread.currentThread()) {
            ThreadIdentity.set(((Switched) switched).before);
        }
    }

    /** Every pool task asks, and most were handed off by nobody: no lookup while nothing is attached. */
    private static ThreadIdentity handedOff(Object task) {
        return HANDED_OFF.isEmpty() ? null : HANDED_OFF.get(task);
    }

    private static Object switchTo(ThreadIdentity identity) {
        Switched switched = new Switched(Thread.currentThread(), ThreadIdentity.get());
        ThreadIdentity.set(identity);
        return switched;
    }

    /** A change of one thread's identity, and what it replaced. */
    private static final class Switched {
        private final Thread thread;
        private final ThreadIdentity before;

        Switched(Thread thread, ThreadIdentity before) {
            this.thread = thread;
            this.before = before;
        }
    }
}
