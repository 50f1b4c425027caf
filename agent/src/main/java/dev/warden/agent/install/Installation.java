package dev.warden.agent.install;

import dev.warden.instrumentation.api.InstrumentationModule;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

/**
 * Warden's instrumentation, from the first transformer registered to ByteBuddy installed: {@link #begin} as the agent
 * starts, {@link #install} once the modules are known, {@link #beforeMain} last before the host's {@code main}.
 *
 * <p>Where an earlier start kept what ByteBuddy made of the JDK classes ({@link JdkTransformCache}), ByteBuddy is
 * installed alongside the host's start: the JDK classes loaded by then are given the earlier result before
 * {@code main}, and a class loading meanwhile that may be a target waits for ByteBuddy ({@link HoldingTransformer}).
 * Otherwise, or when a JDK target loaded by then has no earlier result, ByteBuddy is installed before {@code main}.
 */
public final class Installation {

    /**
     * How long a class loading may wait for ByteBuddy installed alongside the host's start, and the install may take,
     * before the JVM is stopped: ByteBuddy's install takes a second or two, ten on a machine busy with other builds.
     */
    public static final Duration HOLD_LIMIT = Duration.ofMinutes(5);

    private final Instrumentation instrumentation;
    private final HoldingTransformer holding;
    private final CompletableFuture<InstallReport> installed = new CompletableFuture<>();
    private volatile long installedNanos;
    private JdkTransforms known = JdkTransforms.NONE;
    private volatile EarlyPasses passes = EarlyPasses.NONE;
    /** Whether the install runs on a thread of its own, which waits for its start ({@link InstallStart}). */
    private volatile boolean beganBeside;
    private List<InstrumentationModule> modules = List.of();
    private Set<String> jdkTargets = Set.of();
    private Set<Thread> starting = Set.of();
    private boolean alongside;
    private InstallStart start;
    private Thread beside;

    private Installation(Instrumentation instrumentation, HoldingTransformer holding) {
        this.instrumentation = instrumentation;
        this.holding = holding;
    }

    /** Registers Warden's transformer, passing every class until {@link #install}; {@code available}: every module Warden has. */
    public static Installation begin(Instrumentation instrumentation, List<InstrumentationModule> available) {
        return begin(instrumentation, available, null);
    }

    /**
     * As {@link #begin(Instrumentation, List)}, and starts {@code unadvised} beside the rest of the start on a thread of
     * its own, which {@link #install} lets end before any load is held or class advised: it may load what it likes,
     * and needs no mark of Warden's (its thread starts before the gate that makes them).
     */
    public static Installation begin(Instrumentation instrumentation, List<InstrumentationModule> available, Runnable unadvised) {
        AgentInstaller.loadBeforeTransforming();
        // By name: no matcher is made before main on a warm start (EarlyLoads#prepare).
        HoldingTransformer holding = new HoldingTransformer(AgentInstaller.class.getClassLoader(),
                EarlyLoads.of(available).jdkTargets());
        instrumentation.addTransformer(holding, true);
        weaveHiddenClasses(holding);
        Installation installation = new Installation(instrumentation, holding);
        if (unadvised != null) {
            installation.beside = new Thread(unadvised, "warden-start");
            installation.beside.setDaemon(true);
            installation.beside.start();
        }
        return installation;
    }

    /**
     * Starts installing ByteBuddy for the gated {@code modules}: alongside the host's start when {@code cacheDirectory}
     * holds an earlier install's result and Warden is not {@code besideAnotherAgent} (once {@link #beforeMain} let
     * {@code main} go, or a load waits for it: {@link InstallStart}), else on this thread, before this returns.
     *
     * @param lane     where ByteBuddy installed alongside main takes the first turn
     * @param starting Warden's threads starting it (this one included): their loads pass until {@link #beforeMain}
     * @param gate     for tests only: ByteBuddy installed alongside main waits until a starting thread's load waits for it
     */
    public void install(List<InstrumentationModule> modules, Path cacheDirectory, ThreadFactory threads, StartLane lane,
                        boolean besideAnotherAgent, Set<Thread> starting, boolean gate) {
        this.modules = modules;
        this.starting = Set.copyOf(starting);
        AgentInstaller.declineClassInjection(besideAnotherAgent);
        JdkTransformCache cache = besideAnotherAgent ? null : AgentInstaller.openCache(cacheDirectory, modules);
        known = AgentInstaller.known(cache);
        EarlyLoads early = EarlyLoads.of(modules);
        jdkTargets = early.jdkTargets();
        start = new InstallStart(gate, starting);
        alongside = known != JdkTransforms.NONE;
        // Where a JDK class may be other than the runtime image's, none is told by its name: the matchers are made
        // before main, as when ByteBuddy is installed before it, and no earlier start's answers are used.
        boolean lazyMatchers = alongside && !LaunchOptions.opensTheJdk();
        passes = lazyMatchers ? cache.passes() : EarlyPasses.NONE;
        EarlyPasses passes = this.passes;
        boolean beside = alongside; // beforeMain may give up on it meanwhile: the install still waits for its start
        beganBeside = beside;
        Runnable byteBuddy = () -> {
            String notInstalled = "the instrumentation could not be installed";
            try {
                if (beside) {
                    start.awaitThroughInterrupts(HOLD_LIMIT);
                    // Not CompletableFuture's timeout: its scheduler is a ScheduledThreadPoolExecutor, a JDK target this
                    // thread, which is never held, would load unadvised while main runs. awaitInstalled bounds it.
                    holding.prepare(); // first: a class of the host's may wait for the matchers
                }
                InstallReport report = AgentInstaller.installByteBuddy(new HandingInstrumentation(instrumentation, holding),
                        modules, cache, known, threads, holding::settledReplays);
                installedNanos = System.nanoTime();
                installed.complete(report);
                if (report.verified()) {
                    passes.keep(threads);
                }
            } catch (Throwable failure) {
                installedNanos = System.nanoTime();
                installed.completeExceptionally(failure);
                notInstalled += ": " + failure; // a held load may stop the JVM before anything else reports it
            } finally {
                if (!holding.handedOn()) {
                    holding.failed(notInstalled);
                }
            }
        };
        Thread installing = Thread.currentThread();
        if (alongside) {
            loadKnownJdkTargets();
            installing = threads.newThread(lane.inTurn(byteBuddy)); // the lane's first turn
        }
        if (!lazyMatchers) {
            early.prepare(); // ByteBuddy's type system is made before main either way, or must be
        }
        holding.onHold(start::loadWaits);
        awaitBeside();
        Set<Thread> passing = new HashSet<>(this.starting);
        passing.add(installing);
        holding.hold(early, known, passes, HOLD_LIMIT.toNanos(), passing);
        if (alongside) {
            installing.start();
        } else {
            byteBuddy.run();
        }
    }

    /**
     * What must hold before the host's {@code main}: the starting threads' loads are held from now on, the JDK
     * targets loaded so far are given an earlier install's result, and if one of them has none (or ByteBuddy is not
     * installed alongside), ByteBuddy's whole install is awaited and they are retransformed through it once more.
     */
    public InstallReport beforeMain() {
        starting.forEach(holding::stopPassing);
        if (alongside && !installed.isCompletedExceptionally()) {
            Set<String> loaded = AgentInstaller.loaded(instrumentation, jdkTargets);
            if (replayLoadedJdkTargets() && !holding.handedOn() && holding.replayed().containsAll(loaded)) {
                // The earlier start that kept these results checked every class file of this JDK and build.
                Set<String> replayed = holding.replayed();
                Set<String> required = AgentInstaller.loaded(instrumentation, AgentInstaller.requiredJdkTypes(modules));
                InstallReport checked = new JdkTargetCheck().retransformed(modules, required, replayed)
                        .replaying(replayed.size(), 0);
                holding.mainLetGo(loaded);
                start.mainLetGo();
                return checked;
            }
            alongside = false;
            start.mainWaits();
        }
        InstallReport report = awaitInstalled();
        // A JDK target a starting thread loaded just as ByteBuddy listed the loaded classes may have been missed by it.
        String failed = retransformLoaded(jdkTargets);
        if (failed == null) {
            return report;
        }
        List<String> failures = new ArrayList<>(report.failures());
        failures.add("the JDK targets loaded at start could not be retransformed: " + failed);
        return new InstallReport(report.verifiedAdvices(), report.verifiedTypes(), failures, report.replayed(),
                report.transformedAnew());
    }

    /**
     * The whole install's report, once ByteBuddy is installed; one not verified, or failed, means the JVM must not go
     * on, as one not done in time does ({@link #awaitInstalled}).
     */
    public CompletableFuture<InstallReport> installed() {
        return installed;
    }

    /**
     * Waits for the install's report: once it began, at most {@link #HOLD_LIMIT} (and for an install beside the host's
     * start to begin, at most as long).
     * Interrupts are waited through, as a held load waits through them: a host's thread may interrupt Warden's.
     *
     * @throws java.util.concurrent.CompletionException when the install failed, or was not done in time
     */
    public InstallReport awaitInstalled() {
        if (beganBeside && !installed.isDone()) {
            start.awaitThroughInterrupts(HOLD_LIMIT); // not begun in time: it begins anyway, and is bounded below
        }
        long deadline = System.nanoTime() + HOLD_LIMIT.toNanos();
        while (true) {
            try {
                return installed.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException late) {
                String why = "not done within " + HOLD_LIMIT.toMinutes() + " minutes";
                holding.failed("the instrumentation could not be installed: " + why); // held loads halt soon after
                throw new java.util.concurrent.CompletionException(new java.util.concurrent.TimeoutException(why));
            } catch (java.util.concurrent.ExecutionException failed) {
                throw new java.util.concurrent.CompletionException(failed.getCause());
            } catch (InterruptedException e) {
                // waits on, as a held load does
            }
        }
    }

    /** When ByteBuddy's install ended ({@link System#nanoTime()}), once {@link #installed()} completed. */
    public long installedNanos() {
        return installedNanos;
    }

    /** How many classes of the host's loaded at once, before the matchers were made, as an earlier start found them. */
    public int passedEarly() {
        return passes.passed();
    }

    /** How many class loads waited for ByteBuddy installed alongside main, and for how long in all. */
    public int heldLoads() {
        return holding.held();
    }

    public long heldNanos() {
        return holding.heldNanos();
    }

    /** Whether ByteBuddy is being installed alongside the host's start. */
    public boolean alongside() {
        return alongside;
    }

    /** Lets the work begun beside the start end: from here on loads may be held, and JDK classes given their advice. */
    private void awaitBeside() {
        if (beside == null) {
            return;
        }
        boolean interrupted = false;
        while (beside.isAlive()) {
            try {
                beside.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Loads, before main, every JDK class the earlier install transformed: beforeMain then gives each loaded target
     * its result or installs ByteBuddy first. The install alongside main (never held, and from then on without a check
     * before main) loads the JDK classes its advice and matchers name; a target among them is one of these, which the
     * earlier install had loaded by its end, when it made this result. Classes are loaded, not initialised.
     */
    private void loadKnownJdkTargets() {
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        for (String name : known.transformed().keySet()) {
            try {
                Class.forName(name, false, platform);
            } catch (ClassNotFoundException | LinkageError absent) {
                // not in this JVM's modules: nothing to load, nothing for the install to load either
            }
        }
    }

    /** Retransforms the loaded JDK classes named {@code names}, ByteBuddy's transformer in place: why not, or null. */
    private String retransformLoaded(Set<String> names) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (names.contains(type.getName()) && CachedJdkTransformer.isJdk(type) && instrumentation.isModifiableClass(type)) {
                loaded.add(type);
            }
        }
        try {
            instrumentation.retransformClasses(loaded.toArray(Class<?>[]::new));
            return null;
        } catch (UnmodifiableClassException | RuntimeException | LinkageError failed) {
            return failed.toString();
        }
    }

    /** Whether every loaded JDK class an earlier install transformed was retransformed (given its result, or waited for). */
    private boolean replayLoadedJdkTargets() {
        List<Class<?>> replayable = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (known.transformed().containsKey(type.getName()) && CachedJdkTransformer.isJdk(type)
                    && instrumentation.isModifiableClass(type)) {
                replayable.add(type);
            }
        }
        try {
            instrumentation.retransformClasses(replayable.toArray(Class<?>[]::new));
            holding.settleReplays(); // only now may ByteBuddy's install leave them alone
            return true;
        } catch (UnmodifiableClassException | RuntimeException | LinkageError notReplayed) {
            holding.forgetReplayed(); // none of them was redefined
            return false;
        }
    }

    /**
     * A hidden class's class file reaches Warden's transformer as every other class's reaches it from the JVM
     * ({@link HiddenClassModule}). Left alone: Warden's own loader's, and the JDK's own (lambda forms, the JDK's
     * lambdas: most hidden classes of any application), defined for a class of the JDK's modules, which only a lookup
     * with the JDK's private access can do; no matcher names a hidden class, and the JDK's implement no gated type. And
     * one whose header shows it can be no target ({@link PlainLambdaShape}: most of the application's lambdas).
     */
    private static void weaveHiddenClasses(HoldingTransformer holding) {
        ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
        dev.warden.bootstrap.HiddenClasses.install((loader, lookup, domain, classFile) -> {
            if (loader == agentLoader || CachedJdkTransformer.isJdk(loader, lookup.getModule())
                    || PlainLambdaShape.matchesNoTarget(classFile)) {
                return null;
            }
            try {
                return holding.transform(lookup.getModule(), loader, null, null, domain, classFile);
            } catch (java.lang.instrument.IllegalClassFormatException unreadable) {
                return null; // the JVM refuses to define it as well
            }
        });
    }
}
