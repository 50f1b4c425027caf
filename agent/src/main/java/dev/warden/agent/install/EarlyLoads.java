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
 * The matchers are made only when {@linkplain #prepare prepared}: making them initialises ByteBuddy's type system,
 * about 60 ms of the starting thread, which a warm start spends beside the host's {@code main} instead of before it
 * ({@link HoldingTransformer} answers meanwhile without asking, or waits).
 */
final class EarlyLoads {

    private static final String OBJECT = "java/lang/Object";

    private final Set<String> jdkTargets;
    private final List<TypeInstrumentation> instrumentations;
    /** Null until {@link #prepare}: then every instrumentation's type matcher. */
    private volatile List<ElementMatcher<? super TypeDescription>> matchers;
    /** The JDK's class files, through the platform loader (which delegates to the boot loader): read, never loaded. */
    private ClassFileLocator jdkClassFiles;
    /** The JDK's types described so far: a JDK class's name is the JDK's alone, and its super types are shared. */
    private TypePool.CacheProvider jdkTypes;

    private EarlyLoads(Set<String> jdkTargets, List<TypeInstrumentation> instrumentations) {
        this.jdkTargets = jdkTargets;
        this.instrumentations = instrumentations;
    }

    /** The modules' JDK targets by name; their matchers are made when {@linkplain #prepare prepared}. */
    static EarlyLoads of(List<InstrumentationModule> modules) {
        Set<String> jdkTargets = new HashSet<>();
        List<TypeInstrumentation> instrumentations = new ArrayList<>();
        for (InstrumentationModule module : modules) {
            for (TypeInstrumentation each : module.typeInstrumentations()) {
                jdkTargets.addAll(each.requiredJdkTypes());
                jdkTargets.addAll(each.optionalJdkTypes());
                instrumentations.add(each);
            }
        }
        return new EarlyLoads(Set.copyOf(jdkTargets), List.copyOf(instrumentations));
    }

    /** The JDK classes the modules name. */
    Set<String> jdkTargets() {
        return jdkTargets;
    }

    /** Whether the matchers are made: {@link #ask} may be called. */
    boolean prepared() {
        return matchers != null;
    }

    /**
     * Makes the matchers, then asks about two JDK class files, one as the JDK's and one as a class of the host's that
     * extends {@code Object} alone, so that the JDK classes the asking loads (a {@code LinkedList} for ByteBuddy's
     * queues, say) are loaded here, by a thread that is not defining one of them, and never first inside the
     * transformation of a class asked about. Class files are read, never loaded. Idempotent.
     */
    synchronized void prepare() {
        if (matchers != null) {
            return;
        }
        List<ElementMatcher<? super TypeDescription>> made = new ArrayList<>();
        instrumentations.forEach(each -> made.add(each.typeMatcher()));
        jdkClassFiles = ClassFileLocator.ForClassLoader.ofPlatformLoader();
        jdkTypes = new TypePool.CacheProvider.Simple();
        List<ElementMatcher<? super TypeDescription>> ready = List.copyOf(made);
        try {
            ask(ready, true, "java/util/concurrent/atomic/AtomicBoolean",
                    jdkClassFiles.locate("java.util.concurrent.atomic.AtomicBoolean").resolve());
            ask(ready, false, "java/lang/Math", jdkClassFiles.locate("java.lang.Math").resolve());
        } catch (java.io.IOException | RuntimeException unreadable) {
            // the first class asked about loads what it needs instead
        }
        matchers = ready; // last: a thread that sees the matchers sees the locator and the pool made before them
    }

    /**
     * What is known of the class without its matchers: whether it may be a target, or {@code null} when they must be
     * asked (a JDK class no instrumentation names, or a class of the host's that extends {@code Object} alone).
     *
     * @param jdk       whether the class is the JDK's ({@link CachedJdkTransformer#isJdk(ClassLoader, Module)})
     * @param className its internal name ({@link #nameOf} when the JVM gave none)
     */
    Boolean answerWithoutAsking(boolean jdk, String className, byte[] classFile) {
        if (className == null) {
            return true;
        }
        String name = className.replace('/', '.');
        if (jdk) {
            return jdkTargets.contains(name) ? true : null;
        }
        try {
            ClassReader reader = new ClassReader(classFile);
            return !OBJECT.equals(reader.getSuperName()) || reader.getInterfaces().length > 0 ? true : null;
        } catch (RuntimeException unreadable) {
            return true;
        }
    }

    /** Asks every matcher about the class, described from its own class file; {@link #prepare} first. */
    boolean ask(boolean jdk, String className, byte[] classFile) {
        List<ElementMatcher<? super TypeDescription>> ready = matchers;
        if (ready == null) {
            throw new IllegalStateException("the early loads' matchers are not made yet");
        }
        return ask(ready, jdk, className, classFile);
    }

    private boolean ask(List<ElementMatcher<? super TypeDescription>> ready, boolean jdk, String className, byte[] classFile) {
        String name = className.replace('/', '.');
        try {
            // Its own class file first; its super types (java.lang.Object alone, for a class not the JDK's) from the JDK.
            TypeDescription type = new TypePool.Default(jdk ? jdkTypes : new TypePool.CacheProvider.Simple(),
                    new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile), jdkClassFiles),
                    TypePool.Default.ReaderMode.FAST).describe(name).resolve();
            // Without a loader's kept hierarchies: this may run inside another class's matching (a load nested in it),
            // whose loader's are not this class's.
            return SuperTypes.matchingIn(null, () -> anyMatches(ready, type));
        } catch (LinkageError asking) {
            // The asking failed to load a class, most likely one this thread is defining: the class asked about is that
            // class or its super type, and the type pool or a matcher uses it (Drools' first LinkedList, which
            // ByteBuddy's QueueFactory makes too). As for a class the asking itself loads, a JDK class is then held
            // only if an instrumentation names it (answered before asking): assumed, not asked, from EarlyLoadsTest,
            // which checks over the whole JDK that every JDK class a matcher matches is named; ByteBuddy's install
            // still transforms a loaded class it matches. Held, the half-defined class was one ByteBuddy's install
            // could not load either: the install failed, and the start was refused.
            return !jdk;
        } catch (Throwable unreadable) {
            return true;
        }
    }

    private static boolean anyMatches(List<ElementMatcher<? super TypeDescription>> matchers, TypeDescription type) {
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
