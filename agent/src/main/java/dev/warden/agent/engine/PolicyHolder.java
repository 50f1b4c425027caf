package dev.warden.agent.engine;

import dev.warden.bootstrap.Decision;
import dev.warden.rules.Action;
import dev.warden.rules.CompiledPolicy;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;
import dev.warden.rules.PolicyCompiler;
import dev.warden.rules.Ruling;
import dev.warden.rules.state.StatePolicy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The policy, compiled in the background (DRL compilation takes seconds). Actions that arrive
 * before it is ready wait, bounded, and are refused when the wait runs out or compilation failed.
 */
public final class PolicyHolder {

    private final PolicyBundle bundle;
    private final CompletableFuture<CompiledPolicy> compiled = new CompletableFuture<>();
    private final Duration wait;

    private PolicyHolder(PolicyBundle bundle, Duration wait) {
        this.bundle = bundle;
        this.wait = wait;
    }

    public static PolicyHolder compileInBackground(PolicyBundle bundle, Duration wait, ThreadFactory threads) {
        return compileInBackground(bundle, new PolicyCompiler(), wait, threads);
    }

    /** Compiles with {@code compiler} (one that reuses a cached compiled policy, say). */
    public static PolicyHolder compileInBackground(PolicyBundle bundle, PolicyCompiler compiler, Duration wait, ThreadFactory threads) {
        PolicyHolder holder = new PolicyHolder(bundle, wait);
        threads.newThread(() -> {
            try {
                holder.compiled.complete(compiler.compile(bundle));
            } catch (Throwable failure) {
                holder.compiled.completeExceptionally(failure);
            }
        }).start();
        return holder;
    }

    public String version() {
        return bundle.version();
    }

    public PolicyBundle bundle() {
        return bundle;
    }

    /**
     * Waits for compilation up to the configured bound.
     *
     * @throws PolicyCompilationException when the rules do not compile
     * @throws TimeoutException           when they are not compiled within the bound
     */
    public CompiledPolicy await() throws PolicyCompilationException, TimeoutException, InterruptedException {
        try {
            return compiled.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PolicyCompilationException) {
                throw (PolicyCompilationException) e.getCause();
            }
            throw new PolicyCompilationException("rules could not be compiled: " + e.getCause(), e.getCause());
        }
    }

    /** The compiled policy's state rules; none while it is not compiled (its actions are refused then). */
    StatePolicy state() {
        CompiledPolicy policy = compiled.getNow(null);
        return policy == null ? StatePolicy.NONE : policy.state();
    }

    /** The compiled policy's tiers and approvals; none while it is not compiled. */
    public dev.warden.rules.approvals.ApprovalPolicy approvals() {
        CompiledPolicy policy = compiled.getNow(null);
        return policy == null ? dev.warden.rules.approvals.ApprovalPolicy.NONE : policy.approvals();
    }

    /** Evaluates, failing closed (rule {@code warden.fail-closed}) when no policy is available. */
    Ruling evaluate(Action action) {
        CompiledPolicy policy = compiled.getNow(null);
        if (policy == null) {
            try {
                policy = await();
            } catch (PolicyCompilationException e) {
                return Ruling.failure(Decision.FAIL_CLOSED_RULE, "policy did not compile: " + e.getMessage());
            } catch (TimeoutException e) {
                return Ruling.failure(Decision.FAIL_CLOSED_RULE, "policy not ready after " + wait.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Ruling.failure(Decision.FAIL_CLOSED_RULE, "interrupted while waiting for the policy");
            }
        }
        return policy.evaluate(action);
    }
}
