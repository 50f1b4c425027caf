package dev.warden.agent.install;

import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;

/**
 * A decorator of ByteBuddy's transformer: it sees every call in its module-aware form (the JVM's older form arrives
 * without a module) and hands it on in the form it came in.
 */
abstract class DecoratingTransformer extends ResettableClassFileTransformer.WithDelegation {

    DecoratingTransformer(ResettableClassFileTransformer delegate) {
        super(delegate);
    }

    @Override
    public final byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                  ProtectionDomain protectionDomain, byte[] classFileBuffer) throws IllegalClassFormatException {
        return transform(null, loader, className, classBeingRedefined, protectionDomain, classFileBuffer);
    }

    /** Every call, in its module-aware form ({@code module} is null for a call in the older form). */
    @Override
    public abstract byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                                     ProtectionDomain protectionDomain, byte[] classFileBuffer) throws IllegalClassFormatException;

    /** Hands the call on to the decorated transformer. */
    final byte[] delegate(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                          ProtectionDomain protectionDomain, byte[] classFileBuffer) throws IllegalClassFormatException {
        return module == null
                ? classFileTransformer.transform(loader, className, classBeingRedefined, protectionDomain, classFileBuffer)
                : classFileTransformer.transform(module, loader, className, classBeingRedefined, protectionDomain, classFileBuffer);
    }
}
