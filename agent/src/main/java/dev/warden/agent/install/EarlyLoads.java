package dev.warden.agent.install;

import dev.warden.instrumentation.api.InstrumentationModule;
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
 * <ul>
 *   <li>a JDK class may be a target only if an instrumentation names it ({@link TypeInstrumentation#requiredJdkTypes()},
 *   {@link TypeInstrumentation#optionalJdkTypes()}; a test matches every class of the JDK to keep those lists whole).
 *   Nothing else of the JDK is held back: ByteBuddy's own install loads JDK classes, and one held back on another
 *   thread would hold it back too;</li>
 *   <li>any other class extending {@code Object} and implementing nothing has no super type a matcher could look for:
 *   every type matcher is asked about it, described from its own class file. Anything else, or a class file that does
 *   not parse, may be a target.</li>
 * </ul>
 */
final class EarlyLoads {

    private static final String OBJECT = "java/lang/Object";

    private final Set<String> jdkTargets;
    private final List<ElementMatcher<? super TypeDescription>> matchers;
    private final ClassFileLocator jdkClassFiles = ClassFileLocator.ForClassLoader.ofBootLoader();

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
     * @param jdk       whether the class is the JDK's ({@link CachedJdkTransformer#isJdk(ClassLoader, Module)})
     * @param className its internal name, as the JVM hands it to a transformer
     */
    boolean mayBeTarget(boolean jdk, String className, byte[] classFile) {
        if (className == null) {
            return !jdk;
        }
        String name = className.replace('/', '.');
        if (WardenTypes.isOwn(name)) {
            return false;
        }
        if (jdk) {
            return jdkTargets.contains(name);
        }
        try {
            ClassReader reader = new ClassReader(classFile);
            if (!OBJECT.equals(reader.getSuperName()) || reader.getInterfaces().length > 0) {
                return true;
            }
            // Its own class file first; java.lang.Object and the like from the JDK, nothing from its loader.
            TypeDescription type = new TypePool.Default(new TypePool.CacheProvider.Simple(),
                    new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile), jdkClassFiles),
                    TypePool.Default.ReaderMode.FAST).describe(name).resolve();
            for (ElementMatcher<? super TypeDescription> matcher : matchers) {
                if (matcher.matches(type)) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException | LinkageError unreadable) {
            return true;
        }
    }
}
