package dev.warden.instrumentation.file;

import dev.warden.bootstrap.file.FileActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.File;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code java.util.prefs} on Linux ({@code java.util.prefs.FileSystemPreferences}, the same on JDK 17 and 25)
 * writes its files through {@code java.io}, decided, but opens its lock file with {@code O_CREAT} in a native method of
 * its own, {@code lockFile0}, which advice cannot wrap: its one caller, the private {@code lockFile(boolean)}, is
 * advised instead, on the lock file the node's root uses. A refusal returns {@code false}, which the JDK reports as
 * a lock it could not take.
 */
final class PreferencesLockInstrumentation implements TypeInstrumentation {

    private static final String TYPE = "java.util.prefs.FileSystemPreferences";

    /**
     * Linux's preferences, checked at start there (advice that matched nothing would be a bypass); another platform may
     * have another implementation, and a runtime without the {@code java.prefs} module (jlink) none.
     */
    private static final boolean CHECKED = System.getProperty("os.name", "").startsWith("Linux")
            && ModuleLayer.boot().findModule("java.prefs").isPresent();

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(TYPE);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return CHECKED ? List.of(TYPE) : List.of();
    }

    @Override
    public List<String> optionalJdkTypes() {
        return CHECKED ? List.of() : List.of(TYPE);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("lockFile").and(takesArguments(boolean.class)), LockAdvice.class);
    }

    static final class LockAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean onEnter(@Advice.FieldValue("isUserNode") boolean user, @Advice.FieldValue("userLockFile") File userLock,
                               @Advice.FieldValue("systemLockFile") File systemLock) {
            return FileActions.refusesPreferencesLock(user ? userLock : systemLock);
        }

        @Advice.OnMethodExit
        static void onExit(@Advice.Enter boolean refused, @Advice.Return(readOnly = false) boolean locked) {
            if (refused) {
                locked = false;
            }
        }
    }
}
