package dev.warden.agent.install;

import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks, on the running JDK, every JDK class the modules {@linkplain TypeInstrumentation#requiredJdkTypes()
 * require}: it exists, its instrumentation's type matcher matches it, each advice matches at least
 * one of its methods, and, if it was loaded before Warden, it was retransformed. The classes are
 * described from the JDK's class files, so checking loads none of them.
 */
final class JdkTargetCheck {

    private final java.util.function.Supplier<TypePool> jdkTypes;
    private TypePool jdk;

    JdkTargetCheck() {
        this.jdkTypes = () -> TypePool.Default.of(ClassFileLocator.ForClassLoader.ofPlatformLoader());
    }

    JdkTargetCheck(TypePool jdk) {
        this.jdkTypes = () -> jdk;
    }

    /**
     * Only that each required class loaded before Warden was retransformed, before {@code main} on a warm start: an
     * earlier start of this JDK, launch options, Warden build and modules passed the whole check (a verified
     * {@link JdkTransformCache} entry exists only for such a start), which ByteBuddy's install repeats alongside
     * {@code main}, counting the advices. Neither the type pool nor the advices' matchers are made here: that would
     * initialise ByteBuddy's type system before {@code main}.
     */
    InstallReport retransformed(List<InstrumentationModule> modules, Set<String> loaded, Set<String> transformed) {
        int types = 0;
        List<String> failures = new ArrayList<>();
        for (InstrumentationModule module : modules) {
            for (TypeInstrumentation instrumentation : module.typeInstrumentations()) {
                for (String typeName : instrumentation.requiredJdkTypes()) {
                    if (loaded.contains(typeName) && !transformed.contains(typeName)) {
                        failures.add(notRetransformed(module.surface() + " target " + typeName + " (" + nameOf(instrumentation) + ")"));
                    } else {
                        types++;
                    }
                }
            }
        }
        return new InstallReport(0, types, failures);
    }

    /**
     * @param loaded      names of the required classes that were already loaded at install
     * @param transformed names of the classes transformed so far
     */
    InstallReport check(List<InstrumentationModule> modules, Set<String> loaded, Set<String> transformed) {
        return check(modules, loaded, transformed, false);
    }

    /**
     * As {@link #check(List, Set, Set)}; {@code checkedBefore}: an earlier start of this JDK, launch options, Warden
     * build and modules passed the check of every class file (a verified {@link JdkTransformCache} entry exists only
     * for a start that passed it), so only what this start did is checked: each required class loaded before Warden
     * was retransformed.
     */
    InstallReport check(List<InstrumentationModule> modules, Set<String> loaded, Set<String> transformed, boolean checkedBefore) {
        int advices = 0;
        int types = 0;
        List<String> failures = new ArrayList<>();
        for (InstrumentationModule module : modules) {
            for (TypeInstrumentation instrumentation : module.typeInstrumentations()) {
                for (String typeName : instrumentation.requiredJdkTypes()) {
                    String target = module.surface() + " target " + typeName + " (" + nameOf(instrumentation) + ")";
                    if (checkedBefore) {
                        if (loaded.contains(typeName) && !transformed.contains(typeName)) {
                            failures.add(notRetransformed(target));
                            continue;
                        }
                        advices += AdviceTransformer.advicesOf(instrumentation).size();
                        types++;
                        continue;
                    }
                    if (jdk == null) {
                        jdk = jdkTypes.get();
                    }
                    TypePool.Resolution resolution = jdk.describe(typeName);
                    if (!resolution.isResolved()) {
                        failures.add(target + " does not exist on this JDK");
                        continue;
                    }
                    TypeDescription type = resolution.resolve();
                    if (!instrumentation.typeMatcher().matches(type)) {
                        failures.add(target + " is not matched by its type matcher");
                        continue;
                    }
                    List<AdviceTransformer.Advice> applied = AdviceTransformer.advicesOf(instrumentation);
                    List<String> unmatched = AdviceTransformer.unmatched(applied, type);
                    if (!unmatched.isEmpty()) {
                        failures.add(target + ": no method matches " + String.join(", ", unmatched));
                        continue;
                    }
                    if (loaded.contains(typeName) && !transformed.contains(typeName)) {
                        failures.add(notRetransformed(target));
                        continue;
                    }
                    advices += applied.size();
                    types++;
                }
            }
        }
        return new InstallReport(advices, types, failures);
    }

    private static String notRetransformed(String target) {
        return target + " was loaded before Warden and could not be retransformed";
    }

    private static String nameOf(TypeInstrumentation instrumentation) {
        String name = instrumentation.getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
