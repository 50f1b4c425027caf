package dev.warden.instrumentation.nativecode;

import dev.warden.bootstrap.nativecode.ProviderLibraries;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.File;
import java.io.IOException;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code java.smartcardio} on Unix opens its PC/SC library with {@code dlopen} in the native
 * {@code PlatformPCSC.initialize(String)}, once per JVM, as the first {@code TerminalFactory} starts. The name is what
 * {@code PlatformPCSC.getLibraryName()} returns: {@code sun.security.smartcardio.library}, else the system's
 * {@code libpcsclite} (JDK 17 to 25). Decided as {@code getLibraryName()} returns, on that string, the one
 * {@code initialize} receives; a refusal is the {@code IOException} {@code getLibraryName()} declares, which the
 * provider keeps as its start's failure: PC/SC is then unavailable, and {@code TerminalFactory.getDefault()} answers
 * its {@code None} type. (Some JDK builds, Debian's, link their stub to the system's {@code libpcsclite} and ignore the
 * name; it is decided all the same.) Windows' {@code PlatformPCSC} is another class, linked to {@code winscard}: not
 * a target there.
 */
final class SmartCardLibraryInstrumentation implements TypeInstrumentation {

    private static final String PLATFORM = "sun.security.smartcardio.PlatformPCSC";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(PLATFORM);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return File.separatorChar == '/' ? List.of(PLATFORM) : List.of();
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("getLibraryName").and(isStatic()).and(takesArguments(0)), NameAdvice.class);
    }

    static final class NameAdvice {

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Return String library, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (thrown == null) {
                IOException denial = ProviderLibraries.refusalForSmartCardLibrary(library);
                if (denial != null) {
                    thrown = denial;
                }
            }
        }
    }
}
