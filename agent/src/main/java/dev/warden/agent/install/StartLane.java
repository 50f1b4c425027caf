package dev.warden.agent.install;

/**
 * Warden's start work beside the host's: ByteBuddy's install, loading the compiled rules, assembling the engine, opening
 * the unpacked jars. Each keeps its own thread, but they take turns in the order they were given, at most one fewer at
 * once than the machine has processors (one at least), so that a core is left to the host's {@code main}. The start is
 * CPU-bound: on two cores, four Warden threads beside {@code main} left it a fraction of one and thrashed each other,
 * and every one of them ended later than when they ran one after another (README, Performance).
 *
 * <p>No task may wait for one given after it, or the lane stops. In the order Warden gives them each waits at most for
 * earlier ones: the engine's assembly for the rules; a Warden thread's class load held until ByteBuddy is installed, for
 * ByteBuddy's install, which is given first.
 */
public final class StartLane {

    private final int width;
    private long given;
    private long next;
    private int running;

    public StartLane() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    StartLane(int width) {
        this.width = width;
    }

    /**
     * {@code work}, to run on a thread of its own once the work given before it has begun and fewer than
     * {@link #width()} others run. Its turn is taken now, by the calling thread.
     */
    public Runnable inTurn(Runnable work) {
        long turn;
        synchronized (this) {
            turn = given++;
        }
        return () -> {
            awaitTurn(turn);
            try {
                work.run();
            } finally {
                done();
            }
        };
    }

    /** How many may run at once. */
    public int width() {
        return width;
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
        notifyAll();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void done() {
        running--;
        notifyAll();
    }
}
