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
 * none (and a {@code ThreadPoolExecutor}'s a look at whether any task carries one, {@link #handedToPool}). Restoring changes a thread's identity, so it is honoured only from the JDK's own pool code
 * ({@link Callers}) or, for a thread, on that very thread: host code calling these hooks cannot take
 * on the identity another session handed to a pool.
 */
public final class Handoffs {

    private static final Attachment<ThreadIdentity> HANDED_OFF = new Attachment<>();

    /**
     * The futures made under an identity: by a dependent stage that runs for one, or handed to the caller of a
     * client that completes them on its own threads. A stage registered on one by a thread with no identity runs
     * for it.
     */
    private static final Attachment<ThreadIdentity> CARRIED = new Attachment<>();

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
     * A task handed to a {@code ThreadPoolExecutor} ({@code execute}): it runs for whoever handed it over last, and for
     * nobody in particular when that was nobody. A pool can lose a queued task without any hook seeing it
     * ({@code DiscardOldestPolicy} polls the queue, and so may the application through {@code getQueue()}), and an
     * identity left on the object then made the application's next hand-over of it (a task kept in a field, a method
     * reference), by whoever, run for the session whose submission was dropped: so each hand-over replaces it. A task
     * queued twice before it ran has both runs for the second hand-over. Taken off only from the JDK's pool code.
     */
    public static void handedToPool(Object task) {
        ThreadIdentity current = ThreadIdentity.get();
        if (task == null) {
            return;
        }
        if (current == null || Gate.isInternal()) {
            if (handedOff(task) != null && Callers.isPool(Callers.WALKER.getCallerClass())) {
                HANDED_OFF.remove(task);
            }
            return;
        }
        HANDED_OFF.set(task, current);
    }

    /**
     * A {@code ThreadPoolExecutor} would not queue a task handed to it ({@code reject}: its policy runs it on the
     * submitting thread, drops it or throws): that submission gives no run on the pool, so the identity it attached
     * comes off. Else it stayed on the task object, and an application that hands the same object over again (a
     * task it keeps in a field, a method reference) had that run, by whoever, for the session rejected before.
     * Taken off only when it is what the rejected submission itself attached (the submitting thread's identity). As
     * that submission replaced the identity of a run of the same object still queued ({@link #handedToPool}), that run
     * is then for nobody in particular.
     */
    public static void rejected(Object task) {
        ThreadIdentity attached = handedOff(task);
        if (attached == null || attached != ThreadIdentity.get() || !Callers.isPool(Callers.WALKER.getCallerClass())) {
            return;
        }
        HANDED_OFF.remove(task);
    }

    /**
     * Tasks a {@code ThreadPoolExecutor} took out of its queue unrun ({@code remove}, the queue {@code shutdownNow}
     * drains): their submissions give no run, so the identities they attached come off, as for {@link #rejected}.
     */
    public static void unqueued(Object task) {
        if (task == null || handedOff(task) == null || !Callers.isPool(Callers.WALKER.getCallerClass())) {
            return;
        }
        HANDED_OFF.remove(task);
    }

    /** {@link #unqueued} for each task {@code shutdownNow} drained from the queue. */
    public static void unqueuedAll(java.util.List<?> tasks) {
        if (tasks == null || HANDED_OFF.isEmpty() || !Callers.isPool(Callers.WALKER.getCallerClass())) {
            return;
        }
        for (Object task : tasks) {
            if (task != null) {
                HANDED_OFF.remove(task);
            }
        }
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
        scheduled(task, periodic);
    }

    /**
     * A task a {@code ForkJoinPool} schedules itself (JDK 25+: its {@code schedule} methods,
     * {@code CompletableFuture.delayedExecutor}, {@code orTimeout}), made on the thread that schedules it and
     * submitted or run when due by the pool's scheduler thread, which works for nobody. As on a
     * {@code ScheduledThreadPoolExecutor}, a periodic task carries no identity.
     */
    public static void scheduled(Object task, boolean periodic) {
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

    /**
     * A dependent stage of a {@code CompletableFuture} is made ({@code thenApply}, {@code thenCompose},
     * {@code whenComplete}...; its {@code UniCompletion}): it runs for the identity of the thread that made it,
     * whichever thread completes the stage before it (a client's internal thread, another session's). Made by a
     * thread with no identity, it runs for the identity the future it depends on carries, if any. The future the
     * stage makes carries the identity on, so a chain of stages keeps it however it was built.
     *
     * @param stage     the completion the future queues
     * @param dependent the future the stage completes
     * @param source    the future the stage depends on
     */
    public static void stageMade(Object stage, Object dependent, Object source) {
        ThreadIdentity identity = ThreadIdentity.get();
        if (identity == null) {
            identity = CARRIED.isEmpty() ? null : CARRIED.get(source);
            // Inherited only inside the JDK's own stage code: host code cannot lend itself another's future's identity.
            if (identity == null || !Callers.isStage(Callers.WALKER.getCallerClass())) {
                return;
            }
        }
        if (stage == null || Gate.isInternal()) {
            return;
        }
        // Both are new objects here; never replaced, so that host code calling this cannot change what another holds.
        HANDED_OFF.setIfAbsent(stage, identity);
        CARRIED.setIfAbsent(dependent, identity);
    }

    /**
     * A future a client returns, to be completed by the client's own threads ({@code HttpClient.sendAsync}): it
     * carries the current thread's identity, so that stages registered on it by a thread with none run for it too.
     * Only the caller's own identity is attached, and never over one the future carries already.
     */
    public static void carry(Object future) {
        ThreadIdentity current = ThreadIdentity.get();
        if (current == null || future == null || Gate.isInternal()) {
            return;
        }
        CARRIED.setIfAbsent(future, current);
    }

    /**
     * A dependent stage fires ({@code tryFire}), on whatever thread completed the stage before it, or the
     * executor's for an async stage: its identity becomes current around it. A stage nobody made under an
     * identity leaves the thread's as it is.
     *
     * @return what to pass to {@link #stageFired}
     */
    public static Object stageFires(Object stage) {
        ThreadIdentity identity = handedOff(stage);
        if (identity == null || !Callers.isStage(Callers.WALKER.getCallerClass())) {
            return UNCHANGED;
        }
        return switchTo(identity);
    }

    /**
     * Restores what {@link #stageFires} changed; a stage that ran ({@code dependent} is null once it has)
     * is taken off: it never fires again. One that did not run yet (its other source is still pending, or it
     * was handed to its executor, whose hand-off takes it) keeps its identity.
     */
    public static void stageFired(Object stage, Object dependent, Object switched) {
        if (switched instanceof Switched) {
            if (dependent == null) {
                HANDED_OFF.remove(stage);
            }
            end(switched);
        }
    }

    /** Restores what a hook changed, on the thread it changed it on. */
    public static void end(Object switched) {
        if (switched instanceof Switched && ((Switched) switched).thread == Thread.currentThread()) {
            ThreadIdentity.set(((Switched) switched).before);
        }
    }

    /** The identity a future carries, or null: for tests. */
    static ThreadIdentity carriedBy(Object future) {
        return CARRIED.get(future);
    }

    /** The identity a task or stage was handed off or made with, or null: for tests. */
    static ThreadIdentity attachedTo(Object task) {
        return HANDED_OFF.get(task);
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
