package dev.warden.agent.install;

import java.util.HashSet;
import java.util.Set;

/**
 * Warden's start work beside the host's: ByteBuddy's install, opening the unpacked jars, loading the compiled rules,
 * assembling the engine. Each keeps its own thread, but they take turns in the order the turns were taken, at most one
 * fewer at once than the machine has processors (one at least), so that a core is left to the host's {@code main}. The
 * start is CPU-bound: on two cores, four Warden threads beside {@code main} left it a fraction of one and thrashed each
 * other, and every one of them ended later than when they ran one after another (README, Performance).
 *
 * <p>No turn may wait for one taken after it, or the lane stops. In the order Warden takes them each waits at most for
 * earlier ones: the engine's assembly for the rules; a Warden thread's class load held until ByteBuddy is installed,
 * for ByteBuddy's install, which takes the first turn. (With {@code install-gate=main-waits}, for tests only, that
 * first turn waits for a class the host's {@code main} loads, and every later turn with it.) A turn that is taken must
 * be run, or {@link Turn#skip skipped}.
 */
public final class StartLane {

    private final int width;
    private final Set<Long> skipped = new HashSet<>();
    private long taken;
    private long next;
    private int running;

    public StartLane() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    StartLane(int width) {
        this.width = width;
    }

    /** {@code work}'s turn, taken now by the calling thread: run it on a thread of its own. */
    public Turn inTurn(Runnable work) {
        synchronized (this) {
            return new Turn(taken++, work);
        }
    }

    /** How many may run at once. */
    public int width() {
        return width;
    }

    /** Work that runs once the work whose turns were taken before it has begun and fewer than {@link #width()} others run. */
    public final class Turn implements Runnable {

        private final long number;
        private final Runnable work;

        private Turn(long number, Runnable work) {
            this.number = number;
            this.work = work;
        }

        @Override
        public void run() {
            awaitTurn(number);
            try {
                work.run();
            } finally {
                done();
            }
        }

        /** Gives up this turn unrun (its thread could not be started): the turns after it go on. */
        public void skip() {
            synchronized (StartLane.this) {
                skipped.add(number);
                passSkipped();
                StartLane.this.notifyAll();
            }
        }
    }

    private synchronized void awaitTurn(long turn) {
        boolean interrupted = false;
        while (turn != next || running >= width) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true; // a turn is not given up: the ones after it would never come
            }
        }
        next++;
        running++;
        passSkipped();
        notifyAll();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void passSkipped() {
        while (skipped.remove(next)) {
            next++;
        }
    }

    private synchronized void done() {
        running--;
        notifyAll();
    }
}
