package dev.warden.agent.install;

import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.SuperTypes;
import dev.warden.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells, for a class loading while ByteBuddy is still being installed, whether it may be a target: if it may, its load
 * is held back until ByteBuddy can transform it ({@link HoldingTransformer}); if not, it loads now. Never wrongly "no":
 * every type matcher is asked about the class, described from its own class file, unless the answer is known without:
 * <ul>
 *   <li>a JDK class an instrumentation names ({@link TypeInstrumentation#requiredJdkTypes()},
 *   {@link TypeInstrumentation#optionalJdkTypes()}) may be one. Any other is described with the JDK's class files for
 *   its super types, all of which the JDK has;</li>
 *   <li>any other class that extends something other than {@code Object} or implements an interface may be one: its
 *   super types are its loader's, which may not be loaded yet and cannot be read here without loading them;</li>
 *   <li>a class file that does not parse, or that a matcher cannot be asked about, may be one; except a JDK class
 *   whose asking fails to load a class (one this thread is defining): it is one only if an instrumentation names it,
 *   which is then assumed, not asked (EarlyLoadsTest checks it over the whole JDK).</li>
 * </ul>
 */
final class EarlyLoads {

    private static final String OBJECT = "java/lang/Object";

    private final Set<String> jdkTargets;
    private final List<ElementMatcher<? super TypeDescription>> matchers;
    /** The JDK's class files, through the platform loader (which delegates to the boot loader): read, never loaded. */
    private final ClassFileLocator jdkClassFiles = ClassFileLocator.ForClassLoader.ofPlatformLoader();
    /** The JDK's types described so far: a JDK class's name is the JDK's alone, and its super types are shared. */
    private final TypePool.CacheProvider jdkTypes = new TypePool.CacheProvider.Simple();

    private EarlyLoads(Set<String> jdkTargets, List<ElementMatcher<? super TypeDescription>> matchers) {
        this.jdkTargets = jdkTargets;
        this.matchers = matchers;
    }

    static EarlyLoads of(List<InstrumentationModule> modules) {
        Set<String> jdkTargets = new HashSet<>();
        List<ElementMatcher<? super TypeDescription>> matchers = new ArrayList<>();
        for (InstrumentationModule module : modules) {
            for (TypeInstrumentation each : module.typeInstrumentations()) {
                jdkTargets.addAll(each.requiredJdkTypes());
                jdkTargets.addAll(each.optionalJdkTypes());
                matchers.add(each.typeMatcher());
            }
        }
        return new EarlyLoads(Set.copyOf(jdkTargets), List.copyOf(matchers));
    }

    /** The JDK classes the modules name. */
    Set<String> jdkTargets() {
        return jdkTargets;
    }

    /**
     * Asks about two JDK class files, one as the JDK's and one as a class of the host's that extends {@code Object}
     * alone: called before any transformer is registered, so that the JDK classes the asking loads (a
     * {@code LinkedList} for ByteBuddy's queues, say) are never first loaded inside a transformation, where a thread
     * defining one of them would find the asking needs it. Class files are read, never loaded.
     */
    void askOnce() {
        try {
            mayBeTarget(true, "java/util/concurrent/atomic/AtomicBoolean",
                    jdkClassFiles.locate("java.util.concurrent.atomic.AtomicBoolean").resolve());
            mayBeTarget(false, "java/lang/Math", jdkClassFiles.locate("java.lang.Math").resolve());
        } catch (java.io.IOException | RuntimeException unreadable) {
            // the first class asked about loads what it needs instead
        }
    }

    /**
     * @param jdk       whether the class is the JDK's ({@link CachedJdkTransformer#isJdk(ClassLoader, Module)})
     * @param className its internal name ({@link #nameOf} when the JVM gave none)
     */
    boolean mayBeTarget(boolean jdk, String className, byte[] classFile) {
        if (className == null) {
            return true;
        }
        String name = className.replace('/', '.');
        if (WardenTypes.isOwn(name)) {
            return false;
        }
        if (jdk && jdkTargets.contains(name)) {
            return true;
        }
        try {
            if (!jdk) {
                ClassReader reader = new ClassReader(classFile);
                if (!OBJECT.equals(reader.getSuperName()) || reader.getInterfaces().length > 0) {
                    return true;
                }
            }
            // Its own class file first; its super types (java.lang.Object alone, for a class not the JDK's) from the JDK.
            TypeDescription type = new TypePool.Default(jdk ? jdkTypes : new TypePool.CacheProvider.Simple(),
                    new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile), jdkClassFiles),
                    TypePool.Default.ReaderMode.FAST).describe(name).resolve();
            // Without a loader's kept hierarchies: this may run inside another class's matching (a load nested in it),
            // whose loader's are not this class's.
            return SuperTypes.matchingIn(null, () -> anyMatches(type));
        } catch (LinkageError asking) {
            // The asking failed to load a class, most likely one this thread is defining: the class asked about is that
            // class or its super type, and the type pool or a matcher uses it (Drools' first LinkedList, which
            // ByteBuddy's QueueFactory makes too). As for a class the asking itself loads, a JDK class is then held
            // only if an instrumentation names it (returned above): assumed, not asked, from EarlyLoadsTest, which
            // checks over the whole JDK that every JDK class a matcher matches is named; ByteBuddy's install still
            // transforms a loaded class it matches. Held, the half-defined class was one ByteBuddy's install could not
            // load either: the install failed, and the start was refused.
            return !jdk;
        } catch (Throwable unreadable) {
            return true;
        }
    }

    private boolean anyMatches(TypeDescription type) {
        for (ElementMatcher<? super TypeDescription> matcher : matchers) {
            if (matcher.matches(type)) {
                return true;
            }
        }
        return false;
    }

    /** The internal name a class file gives itself, for a class defined without one; {@code null} if it does not parse. */
    static String nameOf(byte[] classFile) {
        try {
            return new ClassReader(classFile).getClassName();
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
