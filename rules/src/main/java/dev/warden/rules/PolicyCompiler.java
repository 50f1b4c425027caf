package dev.warden.rules;

import dev.warden.rules.approvals.ApprovalPolicy;
import dev.warden.rules.roles.RoleGrants;
import dev.warden.rules.roles.RolePolicyCompiler;
import dev.warden.rules.state.StatePolicy;
import org.drools.compiler.kie.builder.impl.DrlProject;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.KieContainer;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Compiles a policy bundle's DRL into a {@link CompiledPolicy}. Takes seconds on a cold JVM, so the
 * agent runs it off the first action's critical path.
 */
public final class PolicyCompiler {

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
        KieServices services = KieServices.Factory.get();
        KieFileSystem files = services.newKieFileSystem();
        ReleaseId releaseId = services.newReleaseId("dev.warden.policy", "policy-" + UUID.randomUUID(), "1.0.0");
        files.generateAndWritePomXML(releaseId);
        for (Map.Entry<String, byte[]> file : drlFiles(bundle).entrySet()) {
            files.write(services.getResources().newByteArrayResource(file.getValue())
                    .setResourceType(ResourceType.DRL)
                    .setSourcePath("src/main/resources/" + file.getKey()));
        }
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
        for (Map.Entry<String, byte[]> file : rolePolicies(yaml).entrySet()) {
            files.write(services.getResources().newByteArrayResource(file.getValue())
                    .setResourceType(ResourceType.DRL)
                    .setSourcePath("src/main/resources/" + file.getKey() + ".drl"));
        }
        KieBuilder builder = services.newKieBuilder(files).buildAll(DrlProject.class);
        if (builder.getResults().hasMessages(Message.Level.ERROR)) {
            throw new PolicyCompilationException(builder.getResults().getMessages(Message.Level.ERROR).stream()
                    .map(PolicyCompiler::describe)
                    .collect(Collectors.joining("; ")));
        }
        KieContainer container = services.newKieContainer(releaseId);
        // The container keeps what it needs; the shared repository would keep every version a reload compiled.
        services.getRepository().removeKieModule(releaseId);
        return new CompiledPolicy(bundle.version(), container, state, approvals, RoleGrants.of(yaml.values().stream()
                .map(PolicyFile::roles).filter(java.util.Objects::nonNull).toList()));
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

    private static String describe(Message message) {
        String path = message.getPath() == null ? "" : message.getPath().replaceFirst("^src/main/resources/", "");
        String where = message.getLine() > 0 ? path + ":" + message.getLine() : path;
        return (where.isEmpty() ? "" : where + ": ") + message.getText().replaceAll("\\s+", " ").trim();
    }
}
