package dev.warden.agent.install;

import dev.warden.agent.logging.WardenLog;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one transformer Warden registers with the JVM, first of all, so that ByteBuddy (most of a second of a start on
 * two cores) can be installed on a thread of its own while the host's {@code main} runs.
 * <ul>
 *   <li>Registered, it passes every class, keeping the class file of each JDK target for later retransformations.</li>
 *   <li>{@linkplain #hold Holding}: a JDK class with an earlier install's result for its very class file is given
 *   it ({@link JdkTransformCache}); a class that {@linkplain EarlyLoads may be a target} otherwise waits for
 *   ByteBuddy, so it is never defined unadvised; any other loads at once. Loads of Warden's starting threads and of
 *   the thread installing ByteBuddy pass (what they loaded is then replayed, or ByteBuddy's install is awaited).
 *   Until the early loads' matchers are {@linkplain #prepare made}, a JDK class no instrumentation names loads at once
 *   (every JDK class a matcher matches is named: EarlyLoadsTest), a class of the host's that an earlier start found
 *   no target for its very class file loads at once ({@link EarlyPasses}), and any other the matchers must be asked
 *   about waits for them.</li>
 *   <li>Once ByteBuddy's transformer is {@linkplain #hand handed} to it, every call goes there.</li>
 * </ul>
 * A class defined without a name is handed on under the name its class file gives it: ByteBuddy skips a class it is
 * given no name for, and one that implements {@code java.sql.Statement} would run ungated.
 *
 * <p>A load held longer than {@code holdNanos}, or held when the install failed, stops the JVM (exit 78, by
 * {@code halt}: an exit's shutdown hooks could need a class a held thread is loading). No class is defined unadvised
 * meanwhile.
 */
final class HoldingTransformer implements ClassFileTransformer {

    /** How long a held load waits once the install failed, for the JVM's exit to end it, before it halts the JVM. */
    private static final long FAILED_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** {@link #decide}'s answer for a class that waits for ByteBuddy. */
    private static final byte[] HOLD = new byte[0];
    /** As {@link #HOLD}, for a load that already waited for the matchers, and was counted then. */
    private static final byte[] HOLD_AGAIN = new byte[0];

    /** Whether this thread is asking {@link EarlyLoads} about a class. */
    private static final ThreadLocal<boolean[]> ASKING = ThreadLocal.withInitial(() -> new boolean[1]);

    private final ClassLoader agentLoader;
    private final Object handed = new Object();
    private final Set<Thread> passing = ConcurrentHashMap.newKeySet();
    private final Set<String> replayed = ConcurrentHashMap.newKeySet();
    private volatile boolean replaysSettled;
    private final Set<String> jdkTargets;
    private volatile EarlyLoads early;
    private volatile EarlyPasses passes = EarlyPasses.NONE;
    private volatile boolean holding;
    /** Main runs, ByteBuddy not yet installed: a JDK target loaded unadvised now is unadvised while the host runs. */
    private boolean mainLetGo; // guarded by passedUnadvised
    /** Gated JDK targets a passing thread loaded with no earlier result before {@link #mainLetGo}: told then. */
    private final Set<String> passedUnadvised = new java.util.HashSet<>();
    private volatile JdkTransforms known = JdkTransforms.NONE;
    private volatile long holdNanos;
    private volatile ClassFileTransformer delegate;
    private volatile String failure;
    private volatile Runnable onHold = () -> { };
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong heldNanos = new AtomicLong();

    /** @param jdkTargets the JDK classes any instrumentation Warden has names: their class files are kept */
    HoldingTransformer(ClassLoader agentLoader, Set<String> jdkTargets) {
        this.agentLoader = agentLoader;
        this.jdkTargets = jdkTargets;
    }

    /**
     * From now on, loads that {@code early} says may be targets wait for ByteBuddy, at most {@code holdNanos}, except
     * on {@code passing} threads, and JDK classes are given what {@code known} holds for their class files; before the
     * matchers are made, a class {@code passes} holds loads at once.
     */
    void hold(EarlyLoads early, JdkTransforms known, EarlyPasses passes, long holdNanos, Set<Thread> passing) {
        this.passing.addAll(passing);
        this.known = known;
        this.passes = passes;
        this.holdNanos = holdNanos;
        this.early = early;
        this.holding = true;
    }

    /** Makes the early loads' matchers, and lets the loads waiting for them be asked about. */
    void prepare() {
        EarlyLoads rules = early;
        if (rules != null) {
            rules.prepare();
        }
        synchronized (handed) {
            handed.notifyAll();
        }
    }

    /**
     * The host's main goes on while ByteBuddy is installed beside it, every JDK target in {@code checked} given its
     * earlier result: a gated target loaded with no earlier result and not among them, before or from now on, is
     * unadvised while the host runs, and said so (only the installing thread passes now).
     */
    void mainLetGo(Set<String> checked) {
        synchronized (passedUnadvised) {
            mainLetGo = true;
            passedUnadvised.stream().filter(name -> !checked.contains(name)).forEach(HoldingTransformer::warnUnadvised);
            passedUnadvised.clear();
        }
    }

    private static void warnUnadvised(String name) {
        WardenLog.warn("ByteBuddy's install alongside main loaded " + name + " with no earlier result: the host may use"
                + " it unadvised until the install has transformed what is loaded");
    }

    void stopPassing(Thread thread) {
        passing.remove(thread);
    }

    /** ByteBuddy's transformer, decorated: from now on every call goes to it, and the held loads go on. */
    void hand(ClassFileTransformer transformer) {
        synchronized (handed) {
            delegate = transformer;
            handed.notifyAll();
        }
        early = null; // the descriptions it keeps are not needed any more
    }

    /** The install failed: the held loads stay held while the start is refused, and halt the JVM if it does not end. */
    void failed(String why) {
        synchronized (handed) {
            failure = why;
            handed.notifyAll();
        }
    }

    boolean handedOn() {
        return delegate != null;
    }

    /** JDK classes given an earlier install's result while ByteBuddy was not installed. */
    Set<String> replayed() {
        return Set.copyOf(replayed);
    }

    /**
     * {@link #replayed()}, once the retransformation that replayed the loaded JDK targets is known to have succeeded
     * ({@link #settleReplays}); empty before: while it runs the JVM has not yet redefined what was handed to it.
     */
    Set<String> settledReplays() {
        return replaysSettled ? Set.copyOf(replayed) : Set.of();
    }

    /** The retransformation that replayed the loaded JDK targets succeeded: what it replayed, they now are. */
    void settleReplays() {
        replaysSettled = true;
    }

    /** Forgets what was replayed: a retransformation that failed defined none of it. */
    void forgetReplayed() {
        replaysSettled = false;
        replayed.clear();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) throws IllegalClassFormatException {
        if (className == null && loader != agentLoader) {
            className = EarlyLoads.nameOf(classFile);
        }
        ClassFileTransformer ready = delegate;
        if (ready != null) {
            return ready.transform(module, loader, className, classBeingRedefined, protectionDomain, classFile);
        }
        if (loader == agentLoader || className == null) {
            return null; // Warden's own; or no class file a class could be defined from
        }
        boolean counted = false;
        try {
            byte[] decided = decide(module, loader, className, classBeingRedefined, classFile);
            if (decided != HOLD && decided != HOLD_AGAIN) {
                return decided;
            }
            counted = decided == HOLD_AGAIN;
        } catch (Throwable failure) {
            // The JVM would take a throw for "unchanged" and define the class as it is (a stack overflow the host
            // arranged, say): one that cannot be decided waits for ByteBuddy, except on a thread that never waits.
            if (!holding || passing.contains(Thread.currentThread())) {
                return null;
            }
        }
        return awaitDelegate(className, !counted)
                .transform(module, loader, className, classBeingRedefined, protectionDomain, classFile);
    }

    /**
     * What the class is given before ByteBuddy is handed on: its bytes, {@code null} to pass, or {@link #HOLD} (or
     * {@link #HOLD_AGAIN}, for a load already counted as waiting).
     */
    private byte[] decide(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined, byte[] classFile) {
        if (WardenTypes.isOwn(className.replace('/', '.'), loader, agentLoader)) {
            return null; // Warden's bootstrap classes
        }
        boolean jdk = classBeingRedefined != null ? CachedJdkTransformer.isJdk(classBeingRedefined)
                : CachedJdkTransformer.isJdk(loader, module);
        if (jdk) {
            byte[] replay = replay(className.replace('/', '.'), classFile);
            if (replay != null) {
                return replay;
            }
        }
        EarlyLoads rules = early;
        if (holding && rules == null) {
            return HOLD; // handed on since this call began (the rules are let go only after): ByteBuddy transforms it
        }
        if (!holding || passing.contains(Thread.currentThread())) {
            // A JDK target loading now is handed back as a copy: the JVM keeps the class file of a class a retransforming
            // transformer changed, so a retransformation sees it again, not one reconstituted from the loaded class, whose
            // methods come in an order that differs from run to run (an earlier result would never match it).
            if (!jdk || classBeingRedefined != null || !jdkTargets.contains(className.replace('/', '.'))) {
                return null;
            }
            String name = className.replace('/', '.');
            if (rules != null && rules.jdkTargets().contains(name)) { // gated: null before holding
                synchronized (passedUnadvised) {
                    if (mainLetGo) {
                        warnUnadvised(name); // every target the installing thread loads should have been loaded before main
                    } else {
                        passedUnadvised.add(name); // checked before main, unless loaded after the check
                    }
                }
            }
            return classFile.clone();
        }
        return switch (mayBeTarget(rules, jdk, className, classFile)) {
            case PASS -> null;
            case HOLD_LOAD -> HOLD;
            case HOLD_AFTER_WAITING -> HOLD_AGAIN;
        };
    }

    /** Whether a load may go on; if not, whether it already waited (for the matchers). */
    private enum Early { PASS, HOLD_LOAD, HOLD_AFTER_WAITING }

    /**
     * Asks {@code rules}, except for a class the asking itself loads (ByteBuddy's type pool and matchers run on this
     * thread, and a load of the class being asked about would fail as circular): a JDK class is then held only if a
     * surface names it, which the JDK classes such code uses are not; any other is held. Before the matchers are
     * made, what can be answered without them is; a class of the host's that must be asked about waits for them.
     */
    private Early mayBeTarget(EarlyLoads rules, boolean jdk, String className, byte[] classFile) {
        boolean[] asking = ASKING.get();
        if (asking[0]) {
            return !jdk || jdkTargets.contains(className.replace('/', '.')) ? Early.HOLD_LOAD : Early.PASS;
        }
        Boolean known = rules.answerWithoutAsking(jdk, className, classFile);
        if (known != null) {
            return known ? Early.HOLD_LOAD : Early.PASS;
        }
        boolean waited = false;
        if (!rules.prepared()) {
            if (jdk || passes.passes(className, classFile)) {
                return Early.PASS;
            }
            await(rules::prepared, className, true);
            waited = true;
            if (delegate != null) {
                return Early.HOLD_AFTER_WAITING; // handed on meanwhile: ByteBuddy transforms it, if it is a target
            }
        }
        asking[0] = true;
        boolean target;
        try {
            target = rules.ask(jdk, className, classFile);
        } finally {
            asking[0] = false;
        }
        if (!target) {
            if (!jdk) {
                passes.learn(className, classFile);
            }
            return Early.PASS;
        }
        return waited ? Early.HOLD_AFTER_WAITING : Early.HOLD_LOAD;
    }

    private byte[] replay(String name, byte[] classFile) {
        try {
            byte[] replay = known.replacing(name, classFile);
            if (replay != null) {
                replayed.add(name);
            }
            return replay;
        } catch (Throwable unexpected) {
            return null; // ByteBuddy transforms it: the load waits
        }
    }

    /** Run by each load about to wait for ByteBuddy, on its thread. */
    void onHold(Runnable hook) {
        onHold = hook;
    }

    /** How many loads waited for ByteBuddy, and for how long in all. */
    int held() {
        return held.get();
    }

    long heldNanos() {
        return heldNanos.get();
    }

    private ClassFileTransformer awaitDelegate(String className, boolean count) {
        await(() -> false, className, count);
        return delegate;
    }

    /**
     * Waits until {@code ready} or ByteBuddy is handed on, at most the hold's limit (then the JVM is halted): a load
     * that waits may start the install ({@link #onHold}), and is counted among the held once ({@code count}).
     */
    private void await(java.util.function.BooleanSupplier ready, String className, boolean count) {
        long started = System.nanoTime();
        if (count) {
            held.incrementAndGet();
        }
        onHold.run();
        boolean interrupted = false;
        synchronized (handed) {
            while (delegate == null && !ready.getAsBoolean()) {
                long waited = System.nanoTime() - started;
                long limit = failure != null ? FAILED_WAIT_NANOS : holdNanos;
                if (waited >= limit) {
                    // Not System.exit: its hooks may need a class this thread holds the lock of.
                    WardenLog.fatal((failure != null ? failure : "the instrumentation was not installed within "
                            + TimeUnit.NANOSECONDS.toSeconds(holdNanos) + " s") + " (" + className.replace('/', '.')
                            + " waited for it) -- refusing to start, so the application does not run unguarded");
                    Runtime.getRuntime().halt(78);
                }
                try {
                    handed.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(limit - waited)));
                } catch (InterruptedException e) {
                    interrupted = true; // a held load cannot be given up: the class would be defined unadvised
                }
            }
        }
        heldNanos.addAndGet(System.nanoTime() - started);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
