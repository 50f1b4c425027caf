package dev.warden.rules;

import dev.warden.rules.approvals.ApprovalPolicy;
import dev.warden.rules.cache.CompiledRules;
import dev.warden.rules.cache.PolicyCache;
import dev.warden.rules.roles.RoleGrants;
import dev.warden.rules.roles.RolePolicyCompiler;
import dev.warden.rules.state.StatePolicy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Compiles a policy bundle's DRL into a {@link CompiledPolicy}. Takes seconds on a cold JVM, so the
 * agent runs it off the first action's critical path, and reuses a verified compiled copy from a
 * {@link PolicyCache} when one holds the bundle's version.
 */
public final class PolicyCompiler {

    private final Path cacheDirectory;
    private volatile PolicyCache cache;

    /** Compiles every time. */
    public PolicyCompiler() {
        this.cacheDirectory = null;
    }

    /** Reuses what {@code cache} holds for the bundle's version, and stores what it compiles there. */
    public PolicyCompiler(PolicyCache cache) {
        this.cacheDirectory = cache.directory();
        this.cache = cache;
    }

    /**
     * Reuses compiled policies kept in {@code directory}, opened when first asked ({@link #holdsCompiled} at start, or a
     * compilation). A directory that cannot be used safely is reported in the policy's {@link CompiledPolicy#origin()}
     * and the rules compiled.
     */
    public static PolicyCompiler cachingIn(Path directory) {
        return new PolicyCompiler(directory);
    }

    private PolicyCompiler(Path cacheDirectory) {
        this.cacheDirectory = cacheDirectory;
    }

    /**
     * Whether this compiler's cache holds a verified compiled policy for {@code bundle}: rules that compiled before,
     * with this build and JDK, so they will compile now. Reads the entry and checks its MAC without loading it; false
     * without a cache, or when the cache cannot be used.
     */
    public boolean holdsCompiled(PolicyBundle bundle) {
        openCache();
        return cache != null && cache.read(bundle.version()).entry() != null;
    }

    public CompiledPolicy compile(PolicyBundle bundle) throws PolicyCompilationException {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // Drools discovers its services through the context loader; inside the agent that must be ours.
        Thread.currentThread().setContextClassLoader(PolicyCompiler.class.getClassLoader());
        try {
            return build(bundle);
        } catch (PolicyCompilationException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new PolicyCompilationException("rules could not be compiled: " + e, e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private CompiledPolicy build(PolicyBundle bundle) throws PolicyCompilationException {
        // YAML role policies compile to DRL beside the hand-written rules (see RolePolicyCompiler);
        // their state sections (budgets, limits, loops, chains) are checked by the agent's context stage.
        Map<String, PolicyFile> yaml = policyFiles(bundle);
        String twice = RoleDefinitions.definedTwice(yaml);
        if (twice != null) {
            throw new PolicyCompilationException(twice);
        }
        StatePolicy state = StatePolicy.NONE;
        ApprovalPolicy approvals = ApprovalPolicy.NONE;
        for (Map.Entry<String, PolicyFile> file : yaml.entrySet()) {
            try {
                state = state.and(file.getValue().state());
                approvals = approvals.and(file.getValue().approvals());
            } catch (IllegalArgumentException e) {
                throw new PolicyCompilationException(file.getKey() + ": " + e.getMessage());
            }
        }
        checkApprovers(bundle, approvals);
        RoleGrants grants = RoleGrants.of(yaml.values().stream().map(PolicyFile::roles).filter(java.util.Objects::nonNull).toList());
        String rejected = null;
        String unusable = openCache();
        if (cache != null) {
            PolicyCache.Lookup found = cache.read(bundle.version());
            if (found.entry() != null) {
                try {
                    return new CompiledPolicy(bundle.version(), CompiledRules.load(found.entry()), state, approvals, grants,
                            "from cache");
                } catch (RuntimeException | LinkageError e) {
                    rejected = "cached policy " + cache.directory() + " could not be loaded (" + e + ")";
                }
            } else {
                rejected = found.rejected();
            }
        }
        Map<String, byte[]> sources = new java.util.TreeMap<>(drlFiles(bundle));
        rolePolicies(yaml).forEach((path, drl) -> sources.put(path + ".drl", drl));
        List<String> constant = new java.util.ArrayList<>();
        Map<String, byte[]> equalitiesFirst = new java.util.TreeMap<>();
        sources.forEach((path, drl) -> {
            ParsedDrl source = ParsedDrl.of(path, drl);
            constant.addAll(ConstantEvals.in(source));
            equalitiesFirst.put(path, EqualitiesFirst.rewrite(source).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        if (!constant.isEmpty()) {
            throw new PolicyCompilationException(String.join("; ", constant));
        }
        CompiledRules compiled = CompiledRules.compile(equalitiesFirst);
        String origin = rejected == null ? "compiled" : "recompiled: " + rejected;
        if (unusable != null) {
            origin += ", not cached (" + unusable + ")";
        } else if (cache != null) {
            try {
                cache.write(bundle.version(), compiled.entry());
            } catch (java.io.IOException | RuntimeException e) {
                origin += ", not cached (" + e + ")";
            }
        }
        return new CompiledPolicy(bundle.version(), compiled.container(), state, approvals, grants, origin);
    }

    /** Opens the cache directory on first use; why it cannot be used, or null. */
    private synchronized String openCache() {
        if (cache != null || cacheDirectory == null) {
            return null;
        }
        try {
            cache = PolicyCache.open(cacheDirectory);
            return null;
        } catch (java.io.IOException | RuntimeException e) {
            return "cache " + cacheDirectory.toAbsolutePath() + " unusable: " + e.getMessage();
        }
    }

    /** A tier cannot need more approvers than the approvers directory holds keys. */
    private static void checkApprovers(PolicyBundle bundle, ApprovalPolicy approvals) throws PolicyCompilationException {
        if (approvals.approversDirectory() == null) {
            return;
        }
        String directory = approvals.approversDirectory();
        long keys = bundle.files().keySet().stream().filter(path -> path.startsWith(directory) && path.endsWith(".pem")
                && !path.substring(directory.length()).contains("/")).count();
        if (keys < approvals.mostApprovers()) {
            throw new PolicyCompilationException("approvals: a tier needs " + approvals.mostApprovers() + " distinct approvers but "
                    + (directory.isEmpty() ? "the rules directory" : directory) + " holds " + keys + " approver key(s) (NAME.pem)");
        }
    }

    private static Map<String, byte[]> drlFiles(PolicyBundle bundle) {
        return bundle.files().entrySet().stream()
                .filter(file -> file.getKey().endsWith(".drl"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Map<String, PolicyFile> policyFiles(PolicyBundle bundle) throws PolicyCompilationException {
        Map<String, PolicyFile> files = new java.util.TreeMap<>();
        for (Map.Entry<String, byte[]> file : bundle.files().entrySet()) {
            if (file.getKey().endsWith(".yaml") || file.getKey().endsWith(".yml")) {
                try {
                    files.put(file.getKey(), PolicyFile.parse(file.getValue()));
                } catch (IllegalArgumentException e) {
                    throw new PolicyCompilationException(file.getKey() + ": " + e.getMessage());
                }
            }
        }
        return files;
    }

    private static Map<String, byte[]> rolePolicies(Map<String, PolicyFile> files) {
        Map<String, byte[]> generated = new java.util.TreeMap<>();
        files.forEach((path, file) -> {
            if (file.roles() != null) {
                generated.put(path, RolePolicyCompiler.toDrl(path, file.roles()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        return generated;
    }
}
