package dev.warden.agent.install;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The JVM's instrumentation as ByteBuddy's install sees it: the transformer it registers is handed to the
 * {@link HoldingTransformer} registered before it, not registered a second time, so no class is transformed twice and
 * none loads between the two. Everything else is the JVM's.
 */
final class HandingInstrumentation implements Instrumentation {

    private final Instrumentation jvm;
    private final HoldingTransformer holding;

    HandingInstrumentation(Instrumentation jvm, HoldingTransformer holding) {
        this.jvm = jvm;
        this.holding = holding;
    }

    @Override
    public void addTransformer(ClassFileTransformer transformer, boolean canRetransform) {
        holding.hand(transformer);
    }

    @Override
    public void addTransformer(ClassFileTransformer transformer) {
        holding.hand(transformer);
    }

    /** ByteBuddy removes its transformer only when its install failed. */
    @Override
    public boolean removeTransformer(ClassFileTransformer transformer) {
        holding.failed("ByteBuddy's install was undone");
        return true;
    }

    @Override
    public boolean isRetransformClassesSupported() {
        return jvm.isRetransformClassesSupported();
    }

    @Override
    public void retransformClasses(Class<?>... classes) throws UnmodifiableClassException {
        jvm.retransformClasses(classes);
    }

    @Override
    public boolean isRedefineClassesSupported() {
        return jvm.isRedefineClassesSupported();
    }

    @Override
    public void redefineClasses(ClassDefinition... definitions) throws ClassNotFoundException, UnmodifiableClassException {
        jvm.redefineClasses(definitions);
    }

    @Override
    public boolean isModifiableClass(Class<?> type) {
        return jvm.isModifiableClass(type);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class[] getAllLoadedClasses() {
        return jvm.getAllLoadedClasses();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class[] getInitiatedClasses(ClassLoader loader) {
        return jvm.getInitiatedClasses(loader);
    }

    @Override
    public long getObjectSize(Object object) {
        return jvm.getObjectSize(object);
    }

    @Override
    public void appendToBootstrapClassLoaderSearch(JarFile jar) {
        jvm.appendToBootstrapClassLoaderSearch(jar);
    }

    @Override
    public void appendToSystemClassLoaderSearch(JarFile jar) {
        jvm.appendToSystemClassLoaderSearch(jar);
    }

    @Override
    public boolean isNativeMethodPrefixSupported() {
        return jvm.isNativeMethodPrefixSupported();
    }

    @Override
    public void setNativeMethodPrefix(ClassFileTransformer transformer, String prefix) {
        jvm.setNativeMethodPrefix(transformer, prefix);
    }

    @Override
    public void redefineModule(Module module, Set<Module> extraReads, Map<String, Set<Module>> extraExports,
                               Map<String, Set<Module>> extraOpens, Set<Class<?>> extraUses,
                               Map<Class<?>, List<Class<?>>> extraProvides) {
        jvm.redefineModule(module, extraReads, extraExports, extraOpens, extraUses, extraProvides);
    }

    @Override
    public boolean isModifiableModule(Module module) {
        return jvm.isModifiableModule(module);
    }
}
