package dev.warden.rules.cache;

import dev.warden.rules.PolicyCompilationException;
import org.drools.compiler.compiler.io.memory.MemoryFileSystem;
import org.drools.compiler.kie.builder.impl.DrlProject;
import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.drools.compiler.kie.builder.impl.KieBuilderImpl;
import org.drools.compiler.kie.builder.impl.MemoryKieModule;
import org.drools.compiler.kproject.models.KieModuleModelImpl;
import org.drools.model.codegen.ExecutableModelProject;
import org.drools.modelcompiler.CanonicalKieModule;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.KieContainer;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Rules compiled to Drools' executable model: Java classes for every pattern and consequence, packed
 * in a kjar. Loading that kjar again skips what makes compiling slow (parsing the DRL, generating and
 * compiling Java), which is what {@link PolicyCache} keeps across starts.
 *
 * @param container the rules, ready to decide
 * @param entry     the kjar and the release it was built as, to cache
 */
public record CompiledRules(KieContainer container, PolicyCache.Entry entry) {

    private static final String GROUP = "dev.warden.policy";
    private static final String VERSION = "1.0.0";

    /** Compiles {@code sources} (path under the rules directory to DRL). */
    public static CompiledRules compile(Map<String, byte[]> sources) throws PolicyCompilationException {
        KieServices services = KieServices.Factory.get();
        // Unique per compilation: the generated classes are named after it, and the repository is per JVM.
        String artifact = "policy-" + dev.warden.bootstrap.JdkCrypto.randomUuid();
        ReleaseId releaseId = services.newReleaseId(GROUP, artifact, VERSION);
        KieFileSystem files = services.newKieFileSystem();
        files.generateAndWritePomXML(releaseId);
        sources.forEach((path, drl) -> files.write(services.getResources().newByteArrayResource(drl)
                .setResourceType(ResourceType.DRL)
                .setSourcePath("src/main/resources/" + path)));
        KieBuilder builder = services.newKieBuilder(files).buildAll(ExecutableModelProject.class);
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            // The interpreted compiler's messages name the unknown property or method; the executable
            // model's often only the expression. Tell the author what the better one says.
            List<Message> interpreted = services.newKieBuilder(files).buildAll(DrlProject.class).getResults()
                    .getMessages(Message.Level.ERROR);
            throw new PolicyCompilationException((interpreted.isEmpty() ? errors : interpreted).stream()
                    .map(CompiledRules::describe).collect(Collectors.joining("; ")));
        }
        byte[] kjar = ((InternalKieModule) builder.getKieModule()).getBytes();
        return new CompiledRules(containerOf(services, releaseId), new PolicyCache.Entry(artifact, kjar));
    }

    /** The rules of a kjar {@link #compile} made, without compiling anything. */
    public static KieContainer load(PolicyCache.Entry entry) {
        KieServices services = KieServices.Factory.get();
        ReleaseId releaseId = services.newReleaseId(GROUP, entry.artifact(), VERSION);
        KieModuleModelImpl model = new KieModuleModelImpl();
        KieBuilderImpl.setDefaultsforEmptyKieModule(model); // as the builder did for a kjar without kmodule.xml
        MemoryKieModule module = new MemoryKieModule(releaseId, model, MemoryFileSystem.readFromJar(entry.kjar()));
        services.getRepository().addKieModule(new CanonicalKieModule(module));
        return containerOf(services, releaseId);
    }

    /** The container keeps what it needs; the shared repository would keep every version a reload compiled. */
    private static KieContainer containerOf(KieServices services, ReleaseId releaseId) {
        KieContainer container = services.newKieContainer(releaseId);
        services.getRepository().removeKieModule(releaseId);
        return container;
    }

    private static String describe(Message message) {
        String path = message.getPath() == null ? "" : message.getPath().replaceFirst("^src/main/resources/", "");
        String where = message.getLine() > 0 ? path + ":" + message.getLine() : path;
        return (where.isEmpty() ? "" : where + ": ") + message.getText().replaceAll("\\s+", " ").trim();
    }
}
