package dev.warden.agent.install;

import dev.warden.agent.logging.WardenLog;
import dev.warden.bootstrap.Gate;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Warden's own background threads: daemons, named {@code warden-*}, and marked internal with the
 * gate's capability, so that their I/O (receipt signing, exporting) is never gated.
 */
public final class WardenThreads implements ThreadFactory {

    private final AtomicInteger count = new AtomicInteger();
    private final Gate.Capability capability;

    /** @param capability the gate's capability; null outside an agent (unit tests), where nothing is gated */
    public WardenThreads(Gate.Capability capability) {
        this.capability = capability;
    }

    @Override
    public Thread newThread(Runnable work) {
        return newThread(Integer.toString(count.incrementAndGet()), work);
    }

    /** A thread named {@code warden-<name>}: one a thread dump should tell apart from the others. */
    public Thread newThread(String name, Runnable work) {
        Thread thread = new OwnThread("warden-" + name, work, capability);
        thread.setDaemon(true);
        thread.setContextClassLoader(WardenThreads.class.getClassLoader());
        return thread;
    }

    /**
     * Marks itself internal, and nothing else: any code can call a {@link Thread}'s public {@code run()}, and a host
     * thread that found a Warden thread (every live thread is listed by {@link Thread#getAllStackTraces()}) would
     * otherwise be marked in its place, then leave Warden's work by an exception, and act ungated.
     */
    private static final class OwnThread extends Thread {
        private final Runnable work;
        private final Gate.Capability capability;

        OwnThread(String name, Runnable work, Gate.Capability capability) {
            super(name);
            this.work = work;
            this.capability = capability;
        }

        @Override
        public void run() {
            if (Thread.currentThread() != this) {
                throw new IllegalStateException("a Warden thread's work runs on that thread alone");
            }
            if (capability != null) {
                capability.markInternalThread();
            }
            try {
                JdkProviderList.useOnThisThread();
                work.run();
            } catch (Throwable failed) {
                // Said by Warden, never handed to an uncaught-exception handler: any code may set one on any thread,
                // and it would run here, where actions pass ungated.
                WardenLog.warn(getName() + " stopped: " + failed);
            }
        }
    }
}
