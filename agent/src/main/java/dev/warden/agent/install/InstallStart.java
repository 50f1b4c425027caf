package dev.warden.agent.install;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When ByteBuddy's install alongside the host's start begins. Not before {@code main} is let go: on two cores the start
 * is CPU-bound, and ByteBuddy's install (its classes, the JDK classes' descriptions) would share them with what
 * {@code main} waits for (the receipts claim, the JDK classes' replay). But at once when a class load waits for it,
 * so that nothing waits on a load that waits on an install that waits.
 *
 * <p>With {@code install-gate=main-waits} (tests only) it begins only when a starting thread's load waits: the first
 * class the host's {@code main} loads that may be a target (or that the matchers must be asked about) is then certain
 * to wait.
 */
final class InstallStart {

    private final CountDownLatch begun = new CountDownLatch(1);
    private final boolean gate;
    private final Set<Thread> starting;

    /** @param starting Warden's threads starting it ({@code main} included) */
    InstallStart(boolean gate, Set<Thread> starting) {
        this.gate = gate;
        this.starting = Set.copyOf(starting);
    }

    /** {@code main} goes on to the host's: the install may take the CPU. */
    void mainLetGo() {
        if (!gate) {
            begun.countDown();
        }
    }

    /** {@code main} waits for the whole install after all. */
    void mainWaits() {
        begun.countDown();
    }

    /** A load on the calling thread is about to wait for ByteBuddy. */
    void loadWaits() {
        if (!gate || starting.contains(Thread.currentThread())) {
            begun.countDown();
        }
    }

    /** Waits until the install may begin, at most {@code limit}; whether it may. */
    boolean await(Duration limit) throws InterruptedException {
        return begun.await(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * As {@link #await}, waiting on through interrupts: the threads that wait here are Warden's (or {@code main} before
     * the host's code ran), and an interrupt from a host's thread is not theirs to act on.
     */
    boolean awaitThroughInterrupts(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return begun.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // waits on
            }
        }
    }
}
