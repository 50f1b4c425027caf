package dev.warden.agent.install;

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
        Thread thread = new Thread(() -> {
            if (capability != null) {
                capability.markInternalThread();
            }
            work.run();
        }, "warden-" + name);
        thread.setDaemon(true);
        thread.setContextClassLoader(WardenThreads.class.getClassLoader());
        return thread;
    }
}
