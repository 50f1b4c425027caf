package dev.warden.instrumentation.nativecode;

import dev.warden.bootstrap.nativecode.ProviderLibraries;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Native JGSS ({@code -Dsun.security.jgss.native=true}, or set before the first {@code GSSManager}) opens a GSS-API
 * library with {@code dlopen} in the native {@code GSSLibStub.init(String, boolean)}: the one named by
 * {@code sun.security.jgss.lib}, else the first of the JDK's own list of names that opens. Its one Java caller loads
 * the JDK's stub ({@code libj2gss}), reads the property and tries each name, once per JVM, as {@code SunNativeProvider}
 * starts: {@code SunNativeProvider.getMechOIDs()} from JDK 24, the anonymous {@code PrivilegedAction} of the provider's
 * static initialiser ({@code SunNativeProvider$1.run()}) before. Decided as that method starts; a refusal skips it, and
 * it answers null, as when no library opens: the provider starts without native mechanisms.
 */
final class GssLibraryInstrumentation implements TypeInstrumentation {

    /** JDK 24 removed the Security Manager's {@code doPrivileged} around the load. */
    private static final boolean DIRECT = Runtime.version().feature() >= 24;
    private static final String LOADER = DIRECT ? "sun.security.jgss.wrapper.SunNativeProvider"
            : "sun.security.jgss.wrapper.SunNativeProvider$1";

    /** By the JDK's version: on JDK 24+ {@code SunNativeProvider$1} is another class (an enum switch's map). */
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(LOADER);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of(LOADER);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        ElementMatcher<MethodDescription> load = DIRECT ? named("getMechOIDs").and(isStatic()).and(takesArguments(0))
                : named("run").and(takesArguments(0)).and(returns(named("java.util.HashMap")));
        transformer.applyAdvice(load, LoadAdvice.class);
    }

    static final class LoadAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean onEnter() {
            return ProviderLibraries.refusesGssLibrary();
        }
    }
}
