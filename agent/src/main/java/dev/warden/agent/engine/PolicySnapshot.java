package dev.warden.agent.engine;

import dev.warden.bootstrap.Decision;
import dev.warden.rules.Action;
import dev.warden.rules.CompiledPolicy;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;
import dev.warden.rules.Ruling;
import dev.warden.rules.approvals.ApprovalPolicy;
import dev.warden.rules.state.StatePolicy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One version of the policy: its bundle and what was compiled from that bundle, nothing else. A decision
 * takes one snapshot and asks it everything (version, rules, state rules, approvals, files), so a switch
 * to another version between two of its questions cannot give it a mix of two versions. Only the
 * version the agent started with is ever handed out before it compiled: its actions wait for it,
 * bounded; a reloaded version is compiled before it is switched to.
 */
public final class PolicySnapshot {

    private final PolicyBundle bundle;
    private final CompletableFuture<CompiledPolicy> compiled;
    private final Duration wait;

    PolicySnapshot(PolicyBundle bundle, CompletableFuture<CompiledPolicy> compiled, Duration wait) {
        this.bundle = bundle;
        this.compiled = compiled;
        this.wait = wait;
    }

    /** A version compiled already. */
    public static PolicySnapshot of(PolicyBundle bundle, CompiledPolicy policy) {
        if (!bundle.version().equals(policy.version())) {
            throw new IllegalArgumentException("policy " + policy.version() + " was not compiled from bundle " + bundle.version());
        }
        return new PolicySnapshot(bundle, CompletableFuture.completedFuture(policy), Duration.ZERO);
    }

    public String version() {
        return bundle.version();
    }

    /** What this version compiles to: done once compiled (the holder compiles its first version into it). */
    CompletableFuture<CompiledPolicy> compiled() {
        return compiled;
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
    public StatePolicy state() {
        CompiledPolicy policy = compiledNow();
        return policy == null ? StatePolicy.NONE : policy.state();
    }

    /** The compiled policy's tiers and approvals; none while it is not compiled. */
    public ApprovalPolicy approvals() {
        CompiledPolicy policy = compiledNow();
        return policy == null ? ApprovalPolicy.NONE : policy.approvals();
    }

    /**
     * Whether this version failed to compile (its rules, or something transient such as a class the compiler could not
     * load then): a reload of the same rules compiles them again instead of finding nothing changed.
     */
    public boolean failed() {
        return compiled.isCompletedExceptionally();
    }

    /** The compiled policy, or null while it compiles or when it did not compile ({@code getNow} would throw then). */
    private CompiledPolicy compiledNow() {
        return compiled.isDone() && !compiled.isCompletedExceptionally() ? compiled.join() : null;
    }

    /** Evaluates, failing closed (rule {@code warden.fail-closed}) when no policy is available. */
    Ruling evaluate(Action action) {
        CompiledPolicy policy = compiledNow();
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
