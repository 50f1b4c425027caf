package dev.warden.agent.install;

import dev.warden.agent.logging.WardenLog;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The one transformer Warden registers with the JVM, first of all, so that ByteBuddy (most of a second of a start on
 * two cores) can be installed on a thread of its own while the host's {@code main} runs.
 * <ul>
 *   <li>Registered, it passes every class, keeping the class file of each JDK target for later retransformations.</li>
 *   <li>{@linkplain #hold Holding}: a JDK class with an earlier install's result for its very class file is given
 *   it ({@link JdkTransformCache}); a class that {@linkplain EarlyLoads may be a target} otherwise waits for
 *   ByteBuddy, so it is never defined unadvised; any other loads at once. Loads of Warden's starting threads and of
 *   the thread installing ByteBuddy pass (what they loaded is then replayed, or ByteBuddy's install is awaited).</li>
 *   <li>Once ByteBuddy's transformer is {@linkplain #hand handed} to it, every call goes there.</li>
 * </ul>
 * An install that fails leaves the waiting loads waiting: the start is refused and the JVM exits, and no class is
 * defined unadvised meanwhile. A load held longer than the start may wait stops the JVM.
 */
final class HoldingTransformer implements ClassFileTransformer {

    private final ClassLoader agentLoader;
    private final Object handed = new Object();
    private final Set<Thread> passing = ConcurrentHashMap.newKeySet();
    private final Set<String> replayed = ConcurrentHashMap.newKeySet();
    private final EarlyLoads early;
    private volatile boolean holding;
    private volatile JdkTransforms known = JdkTransforms.NONE;
    private volatile long waitNanos;
    private volatile ClassFileTransformer delegate;
    private volatile boolean failed;

    HoldingTransformer(ClassLoader agentLoader, EarlyLoads early) {
        this.agentLoader = agentLoader;
        this.early = early;
    }

    /**
     * From now on, loads that may be targets wait for ByteBuddy, at most {@code waitNanos}, except on {@code passing}
     * threads, and JDK classes are given what {@code known} holds for their class files.
     */
    void hold(JdkTransforms known, long waitNanos, Set<Thread> passing) {
        this.passing.addAll(passing);
        this.known = known;
        this.waitNanos = waitNanos;
        this.holding = true;
    }

    void pass(Thread thread) {
        passing.add(thread);
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
    }

    /** The install failed: the held loads stay held while the start is refused. */
    void failed() {
        failed = true;
    }

    boolean handedOn() {
        return delegate != null;
    }

    EarlyLoads early() {
        return early;
    }

    /** JDK classes given an earlier install's result while ByteBuddy was not installed. */
    Set<String> replayed() {
        return Set.copyOf(replayed);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) throws IllegalClassFormatException {
        ClassFileTransformer ready = delegate;
        if (ready != null) {
            return ready.transform(module, loader, className, classBeingRedefined, protectionDomain, classFile);
        }
        if (loader == agentLoader || className == null) {
            return null;
        }
        boolean jdk = classBeingRedefined != null ? CachedJdkTransformer.isJdk(classBeingRedefined)
                : CachedJdkTransformer.isJdk(loader, module);
        if (jdk) {
            byte[] replay = replay(className.replace('/', '.'), classFile);
            if (replay != null) {
                return replay;
            }
        }
        if (!holding || passing.contains(Thread.currentThread())) {
            // A JDK target loading now is handed back as a copy: the JVM keeps the class file of a class a retransforming
            // transformer changed, so a retransformation sees it again, not one reconstituted from the loaded class, whose
            // methods come in an order that differs from run to run (an earlier result would never match it).
            return jdk && classBeingRedefined == null && early.jdkTargets().contains(className.replace('/', '.'))
                    ? classFile.clone() : null;
        }
        if (!early.mayBeTarget(jdk, className, classFile)) {
            return null;
        }
        return awaitDelegate(className).transform(module, loader, className, classBeingRedefined, protectionDomain, classFile);
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

    private ClassFileTransformer awaitDelegate(String className) {
        long deadline = System.nanoTime() + waitNanos;
        boolean interrupted = false;
        synchronized (handed) {
            while (delegate == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0 && !failed) {
                    // Not System.exit: its hooks may need a class this thread holds the lock of.
                    WardenLog.fatal("the instrumentation was not installed within " + TimeUnit.NANOSECONDS.toMillis(waitNanos)
                            + " ms (" + className + " waited for it) -- refusing to start, so the application does not run unguarded");
                    Runtime.getRuntime().halt(78);
                }
                try {
                    handed.wait(failed ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true; // a held load cannot be given up: the class would be defined unadvised
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return delegate;
    }
}
