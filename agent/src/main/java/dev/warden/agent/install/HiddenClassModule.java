package dev.warden.agent.install;

import dev.warden.bootstrap.HiddenClasses;
import dev.warden.instrumentation.api.ActionEnricher;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Hidden classes are woven like any other ({@link HiddenClasses}): the JDK's {@code JavaLangAccess.defineClass}, the
 * one path every hidden class is defined by ({@code Lookup.defineHiddenClass}, lambdas, the JDK's own), hands the class
 * file to Warden's transformer first. The JDK names that implementation by its place among {@code System}'s anonymous
 * classes ({@code System$2} on JDK 17, {@code System$1} on 25): it is found by its class file. No surface: installed
 * whatever {@code surfaces=} names.
 */
public final class HiddenClassModule implements InstrumentationModule {

    @Override
    public String surface() {
        return "hidden-classes";
    }

    @Override
    public boolean isSurface() {
        return false;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new Definer());
    }

    @Override
    public ActionEnricher enricher() {
        throw new UnsupportedOperationException("the hidden-class module decides no action");
    }

    static final class Definer implements TypeInstrumentation {

        /** Where none is found the start's check names this one, and the JVM stops before {@code main}. */
        private static final String UNKNOWN = "java.lang.System$JavaLangAccess";
        private static final String JAVA_LANG_ACCESS = javaLangAccess();

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named(JAVA_LANG_ACCESS);
        }

        @Override
        public List<String> requiredJdkTypes() {
            return List.of(JAVA_LANG_ACCESS);
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("defineClass").and(takesArguments(8)).and(takesArgument(3, byte[].class)),
                    DefineAdvice.class);
        }

        /** {@code System}'s anonymous class that implements {@code JavaLangAccess}, read from the JDK's class files. */
        static String javaLangAccess() {
            byte[] marker = "jdk/internal/access/JavaLangAccess".getBytes(StandardCharsets.UTF_8);
            for (int i = 1; i < 10; i++) {
                try (InputStream in = ClassLoader.getSystemResourceAsStream("java/lang/System$" + i + ".class")) {
                    if (in != null && contains(in.readAllBytes(), marker)) {
                        return "java.lang.System$" + i;
                    }
                } catch (IOException unreadable) {
                    // the next one
                }
            }
            return UNKNOWN;
        }

        private static boolean contains(byte[] bytes, byte[] marker) {
            outer:
            for (int i = 0; i + marker.length <= bytes.length; i++) {
                for (int j = 0; j < marker.length; j++) {
                    if (bytes[i + j] != marker[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }

    /** Inlined into {@code JavaLangAccess.defineClass(loader, lookup, name, bytes, domain, initialize, flags, data)}. */
    static final class DefineAdvice {
        private DefineAdvice() {
        }

        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) ClassLoader loader, @Advice.Argument(1) Class<?> lookup,
                          @Advice.Argument(value = 3, readOnly = false) byte[] classFile,
                          @Advice.Argument(4) ProtectionDomain domain, @Advice.Argument(6) int flags) {
            classFile = HiddenClasses.woven(loader, lookup, classFile, domain, flags);
        }
    }
}
