package dev.warden.bootstrap;

import java.security.ProtectionDomain;

/**
 * A hidden class ({@code Lookup.defineHiddenClass}, a lambda's class) is handed to no class-file transformer by the
 * JVM: one of the application's that implements a gated type (a {@code java.sql.Statement}) ran unadvised. The JDK's
 * one path to define it ({@code JavaLangAccess.defineClass}) is advised to hand its class file to Warden's
 * transformer first, as the JVM hands every other class's, and defines what that gives back.
 * <p>
 * The weaver is set once, by the installer before the application runs; code that calls these methods itself only
 * has a class file woven.
 */
public final class HiddenClasses {

    /** {@code MethodHandles.Lookup}'s flag for a hidden class, as {@code JavaLangAccess.defineClass} receives it. */
    private static final int HIDDEN_CLASS = 0x2;

    private static volatile Weaver weaver;

    private HiddenClasses() {
    }

    /** Warden's transformer as a hidden class meets it. */
    public interface Weaver {
        /** The class file to define instead, or {@code null} for the one given. */
        byte[] weave(ClassLoader loader, Class<?> lookup, ProtectionDomain domain, byte[] classFile);
    }

    /** The first weaver set stays: set by the installer before {@code main}, no later call changes it. */
    public static synchronized boolean install(Weaver installed) {
        if (weaver != null || installed == null) {
            return false;
        }
        weaver = installed;
        return true;
    }

    /** What a class about to be defined through the JDK's own path is defined from: its class file, woven when hidden. */
    public static byte[] woven(ClassLoader loader, Class<?> lookup, byte[] classFile, ProtectionDomain domain, int flags) {
        Weaver current = weaver;
        if ((flags & HIDDEN_CLASS) == 0 || current == null || classFile == null) {
            return classFile;
        }
        byte[] woven = current.weave(loader, lookup, domain, classFile);
        return woven != null ? woven : classFile;
    }
}
