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

    private final Instrumentation instrumentation;
    private final HoldingTransformer holding;
    private final CompletableFuture<InstallReport> installed = new CompletableFuture<>();
    private List<InstrumentationModule> modules = List.of();
    private JdkTransforms known = JdkTransforms.NONE;
    private Set<Thread> starting = Set.of();
    private boolean alongside;

    private Installation(Instrumentation instrumentation, HoldingTransformer holding) {
        this.instrumentation = instrumentation;
        this.holding = holding;
    }

    /** Registers Warden's transformer, passing every class until {@link #install}; {@code available}: every module Warden has. */
    public static Installation begin(Instrumentation instrumentation, List<InstrumentationModule> available) {
        AgentInstaller.loadBeforeTransforming();
        HoldingTransformer holding = new HoldingTransformer(AgentInstaller.class.getClassLoader(), EarlyLoads.of(available));
        instrumentation.addTransformer(holding, true);
        return new Installation(instrumentation, holding);
    }

    /**
     * Starts installing ByteBuddy: alongside the host's start when {@code cacheDirectory} holds an earlier install's
     * result and Warden is not {@code besideAnotherAgent}, else on this thread, before this returns.
     *
     * @param holdLimit how long a load may wait for ByteBuddy before the JVM is stopped
     * @param starting  Warden's threads starting it (this one included): their loads pass until {@link #beforeMain}
     */
    public void install(List<InstrumentationModule> modules, Path cacheDirectory, ThreadFactory threads,
                        boolean besideAnotherAgent, Duration holdLimit, Set<Thread> starting) {
        this.modules = modules;
        this.starting = Set.copyOf(starting);
        AgentInstaller.declineClassInjection(besideAnotherAgent);
        JdkTransformCache cache = besideAnotherAgent ? null : AgentInstaller.openCache(cacheDirectory, modules);
        known = AgentInstaller.known(cache);
        Runnable byteBuddy = () -> {
            try {
                installed.complete(AgentInstaller.installByteBuddy(new HandingInstrumentation(instrumentation, holding),
                        modules, cache, known, threads));
            } catch (Throwable failure) {
                installed.completeExceptionally(failure);
            } finally {
                if (!holding.handedOn()) {
                    holding.failed();
                }
            }
        };
        alongside = known != JdkTransforms.NONE;
        Set<Thread> passing = new HashSet<>(starting);
        Thread installing = alongside ? threads.newThread(byteBuddy) : Thread.currentThread();
        passing.add(installing);
        holding.hold(known, holdLimit.toNanos(), passing);
        if (alongside) {
            installing.start();
        } else {
            byteBuddy.run();
        }
    }

    /**
     * What must hold before the host's {@code main}: the starting threads' loads are held from now on, the JDK
     * targets loaded so far are given an earlier install's result, and if one of them has none, ByteBuddy's whole
     * install is awaited.
     */
    public InstallReport beforeMain() {
        starting.forEach(holding::stopPassing);
        if (!alongside) {
            return installed.join();
        }
        replayLoadedJdkTargets();
        Set<String> loaded = AgentInstaller.loaded(instrumentation, holding.early().jdkTargets());
        Set<String> replayed = holding.replayed();
        if (!holding.handedOn() && replayed.containsAll(loaded)) {
            // The earlier start that kept these results checked every class file of this JDK and build.
            Set<String> required = AgentInstaller.loaded(instrumentation, AgentInstaller.requiredJdkTypes(modules));
            return new JdkTargetCheck().check(modules, required, replayed, true).replaying(replayed.size(), 0);
        }
        alongside = false;
        return installed.join();
    }

    /** The whole install's report, once ByteBuddy is installed; not verified, or failed, the JVM must not go on. */
    public CompletableFuture<InstallReport> installed() {
        return installed;
    }

    /** Whether ByteBuddy is being installed alongside the host's start. */
    public boolean alongside() {
        return alongside;
    }

    private void replayLoadedJdkTargets() {
        List<Class<?>> replayable = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (known.transformed().containsKey(type.getName()) && CachedJdkTransformer.isJdk(type)
                    && instrumentation.isModifiableClass(type)) {
                replayable.add(type);
            }
        }
        try {
            instrumentation.retransformClasses(replayable.toArray(Class<?>[]::new));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError notReplayed) {
            // what was not replayed is left to ByteBuddy, awaited before main
        }
    }
}
