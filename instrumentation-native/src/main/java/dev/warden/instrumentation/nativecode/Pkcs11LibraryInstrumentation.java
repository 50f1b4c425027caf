package dev.warden.instrumentation.nativecode;

import dev.warden.bootstrap.nativecode.ProviderLibraries;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * SunPKCS11 ({@code Security.getProvider("SunPKCS11").configure(...)}, a {@code java.security} entry) opens the
 * PKCS#11 module its configuration's {@code library=} names with {@code dlopen}, in the native
 * {@code PKCS11.connect(String, String)}. Every module goes through {@code PKCS11.getInstance(String, String,
 * CK_C_INITIALIZE_ARGS, boolean)}, which keeps one per path: decided there, on the path as given, unless it is already
 * open. A refusal is the {@code IOException} {@code getInstance} declares; SunPKCS11 fails to initialise with a
 * {@code ProviderException}, as for a module that does not load.
 */
final class Pkcs11LibraryInstrumentation implements TypeInstrumentation {

    private static final String WRAPPER = "sun.security.pkcs11.wrapper.PKCS11";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(WRAPPER);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of(WRAPPER);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("getInstance").and(isStatic()).and(takesArguments(4)).and(takesArgument(0, String.class)),
                ModuleAdvice.class);
    }

    static final class ModuleAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) String path, @Advice.FieldValue("moduleMap") Map<?, ?> opened) {
            return ProviderLibraries.refusalForPkcs11Module(path, opened);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    /**
     * NSS ({@code nssLibraryDirectory}, {@code nssSecmodDirectory} in a SunPKCS11 configuration):
     * {@code Secmod.initialize(DbMode, String, String, boolean)} opens {@code libnss3} from the directory given, or by
     * name from the system's library path, in its native {@code nssLoadLibrary}. Decided as it starts, on the name it
     * makes; a refusal is the {@code IOException} it declares. (The modules NSS names are then opened through
     * {@code PKCS11.getInstance}, decided above.)
     */
    static final class Nss implements TypeInstrumentation {

        private static final String SECMOD = "sun.security.pkcs11.Secmod";

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named(SECMOD);
        }

        @Override
        public List<String> requiredJdkTypes() {
            return List.of(SECMOD);
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("initialize").and(takesArguments(4)).and(takesArgument(2, String.class)), NssAdvice.class);
        }
    }

    static final class NssAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(2) String nssLibDir) {
            return ProviderLibraries.refusalForNss(nssLibDir);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
