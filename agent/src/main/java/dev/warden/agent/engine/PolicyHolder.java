package dev.warden.agent.engine;

import dev.warden.rules.CompiledPolicy;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;
import dev.warden.rules.PolicyCompiler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy in force: one {@link PolicySnapshot}, replaced whole. The version the agent starts with is
 * compiled in the background (DRL compilation takes seconds); actions that arrive before it is ready
 * wait, bounded, and are refused when the wait runs out or compilation failed. Later versions are
 * switched to only once compiled (see {@code PolicyControl}).
 */
public final class PolicyHolder {

    private final AtomicReference<PolicySnapshot> current;
    private final PolicySnapshot first;
    private final PolicyCompiler compiler;
    /** Told each time another version is put in force (calls waiting for approval are woken to see it). */
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private PolicyHolder(PolicySnapshot first, PolicyCompiler compiler) {
        this.current = new AtomicReference<>(first);
        this.first = first;
        this.compiler = compiler;
    }

    public static PolicyHolder compileInBackground(PolicyBundle bundle, Duration wait, ThreadFactory threads) {
        return compileInBackground(bundle, new PolicyCompiler(), wait, threads);
    }

    /** Compiles with {@code compiler} (one that reuses a cached compiled policy, say). */
    public static PolicyHolder compileInBackground(PolicyBundle bundle, PolicyCompiler compiler, Duration wait, ThreadFactory threads) {
        PolicyHolder holder = compiledLater(bundle, compiler, wait);
        threads.newThread(holder::compileFirst).start();
        return holder;
    }

    /**
     * A holder whose first version is compiled by {@link #compileFirst}, on whichever thread the caller chooses
     * (after the instrumentation is installed, say); decisions wait for it meanwhile, as for one compiling.
     */
    public static PolicyHolder compiledLater(PolicyBundle bundle, PolicyCompiler compiler, Duration wait) {
        return new PolicyHolder(new PolicySnapshot(bundle, new CompletableFuture<>(), wait), compiler);
    }

    /** Compiles the version this holder started with (even if a reload put another in force meanwhile), on the calling thread; once. */
    public void compileFirst() {
        CompletableFuture<CompiledPolicy> compiled = first.compiled();
        if (compiled.isDone()) {
            throw new IllegalStateException("the first policy compiled already");
        }
        try {
            compiled.complete(compiler.compile(first.bundle()));
        } catch (Throwable failure) {
            compiled.completeExceptionally(failure);
        }
    }

    /** What compiles this agent's policies: later versions are compiled (and cached) as the first was. */
    public PolicyCompiler compiler() {
        return compiler;
    }

    /** The policy in force now: what one decision asks everything of. One volatile read. */
    public PolicySnapshot current() {
        return current.get();
    }

    /** The version in force now. */
    public String version() {
        return current().version();
    }

    /**
     * Puts {@code next} in force if {@code expected} still is: a switch decided on a stale view of the
     * policy (another switch came first) does not happen.
     */
    public boolean switchTo(PolicySnapshot expected, PolicySnapshot next) {
        if (!current.compareAndSet(expected, next)) {
            return false;
        }
        listeners.forEach(Runnable::run);
        return true;
    }

    /** Runs {@code listener} each time another version is put in force, on the thread that switched it. */
    public void whenSwitched(Runnable listener) {
        listeners.add(listener);
    }

    /** Waits for the policy in force to compile (the start's), up to the configured bound. */
    public CompiledPolicy await() throws PolicyCompilationException, TimeoutException, InterruptedException {
        return current().await();
    }
}
