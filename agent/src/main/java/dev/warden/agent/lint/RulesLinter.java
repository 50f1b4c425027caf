package dev.warden.agent.lint;

import dev.warden.agent.context.ContextStage;
import dev.warden.agent.context.InProcessStateStore;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.rules.CompiledPolicy;
import dev.warden.rules.PolicyBundle;
import dev.warden.rules.PolicyCompilationException;
import dev.warden.rules.PolicyCompiler;
import dev.warden.rules.PolicyFile;
import dev.warden.rules.state.StatePolicy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code check-rules}: compiles a policy bundle as the agent would at start, and lints it against the
 * facts the surfaces present can produce (see {@link FactVocabulary}). A typo that compiles — {@code
 * surface == "jbdc"}, {@code text("url.hots")}, the scope {@code jdbc:notes:selct} — silently disables
 * what the rule meant to say; here it is an error, with what was probably meant.
 */
public final class RulesLinter {

    private final Iterable<InstrumentationModule> modules;

    public RulesLinter(Iterable<InstrumentationModule> modules) {
        this.modules = modules;
    }

    /** What the lint found, and the compiled policy's version when it compiled. */
    public record Report(List<Finding> findings, String version) {
        public Report {
            findings = List.copyOf(findings);
        }

        public long errors() {
            return findings.stream().filter(Finding::isError).count();
        }

        public long warnings() {
            return findings.size() - errors();
        }
    }

    /** Compiles a bundle for the lint, which reports its failure as an error finding. */
    @FunctionalInterface
    public interface Compiler {
        /** @return the compiled policy's version */
        String compile(PolicyBundle bundle) throws PolicyCompilationException;
    }

    public Report lint(PolicyBundle bundle) {
        return lint(bundle, true);
    }

    /**
     * @param compile whether to compile the bundle too (a compile error is an error finding); a caller that
     *                compiled it already (a reload) says false, and the report's version is then the bundle's
     */
    public Report lint(PolicyBundle bundle, boolean compile) {
        return lint(bundle, compile ? RulesLinter::compileAndClose : null);
    }

    /**
     * @param compiler compiles the bundle when its YAML parsed (a compile error is an error finding), for a caller
     *                 that keeps what it compiles (replay): compiling is what takes seconds. Null: not compiled, and
     *                 the report's version is the bundle's
     */
    public Report lint(PolicyBundle bundle, Compiler compiler) {
        boolean compile = compiler != null;
        List<Finding> findings = new ArrayList<>();
        Map<String, byte[]> yaml = new TreeMap<>();
        Set<String> labels = new TreeSet<>();
        bundle.files().forEach((path, content) -> {
            if (path.endsWith(".drl")) {
                labels.addAll(DrlLint.attachedLabels(new String(content, StandardCharsets.UTF_8)));
            } else if (!path.endsWith(".pem")) { // approvers' public keys: the bundle checks them, they are no YAML
                yaml.put(path, content);
            }
        });
        // The YAML first: its state sections name the context facts rules may read.
        FactVocabulary withoutState = FactVocabulary.of(modules, Set.of());
        int before = findings.size();
        Map<String, PolicyFile> files = new YamlLint(withoutState, labels).lint(yaml, findings);
        boolean yamlBroken = findings.subList(before, findings.size()).stream().anyMatch(Finding::isError);
        FactVocabulary vocabulary = new FactVocabulary(withoutState.surfaces(), withoutState.attributeHelpers(),
                withoutState.stateHelpers(), stateFacts(files));
        DrlLint drl = new DrlLint(vocabulary, labels, roleScopes(files));
        bundle.files().forEach((path, content) -> {
            if (path.endsWith(".drl")) {
                drl.lint(path, new String(content, StandardCharsets.UTF_8), findings);
            }
        });
        String version = compile ? null : bundle.version();
        if (compile && !yamlBroken) {
            // Broken YAML is reported above, file by file; the compiler would repeat the first of it.
            try {
                version = compiler.compile(bundle);
            } catch (PolicyCompilationException e) {
                findings.add(Finding.error("", 0, "does not compile: " + e.getMessage()));
            }
        }
        findings.sort(Finding.ORDER);
        return new Report(findings, version);
    }

    private static String compileAndClose(PolicyBundle bundle) throws PolicyCompilationException {
        try (CompiledPolicy policy = new PolicyCompiler().compile(bundle)) {
            return policy.version();
        }
    }

    /** Every scope a role of {@code files} allows or denies: what the roles govern, beside which a DRL permit grants. */
    private static List<dev.warden.rules.roles.Scope> roleScopes(Map<String, PolicyFile> files) {
        List<dev.warden.rules.roles.Scope> scopes = new ArrayList<>();
        for (PolicyFile file : files.values()) {
            if (file.roles() == null) {
                continue; // a file without roles (state, approvals only)
            }
            for (dev.warden.rules.roles.RolePolicy.Role role : file.roles().roles()) {
                scopes.addAll(role.allow());
                scopes.addAll(role.deny());
            }
        }
        return scopes;
    }

    /** The context facts under the state sections of {@code files}, as the agent's context stage provides them. */
    private static Set<String> stateFacts(Map<String, PolicyFile> files) {
        StatePolicy state = StatePolicy.NONE;
        for (PolicyFile file : files.values()) {
            try {
                state = state.and(file.state());
            } catch (IllegalArgumentException definedTwice) {
                // reported by the YAML lint; the facts of the first definition are enough to go on
            }
        }
        return new ContextStage(new InProcessStateStore(System::currentTimeMillis)).factNames(state);
    }
}
