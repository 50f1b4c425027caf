package dev.warden.instrumentation.file;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.file.FileActions;
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
 * {@code java.io.File}'s actions. Advised on {@code File} itself, not on {@code java.io.UnixFileSystem}
 * (whose creating methods are native on JDK 17), reading the {@code path} field the native code reads
 * rather than the overridable {@code getPath()}; a {@code File} argument (a rename's destination, a
 * temporary file's directory) is replaced by a plain {@code File} of the path that was decided, so a
 * subclass cannot answer the gate and the kernel differently.
 * <p>
 * These methods report failure as {@code false}; a refusal is reported the same way (the receipt says
 * why). {@code createNewFile} and {@code createTempFile} declare {@code IOException}: a refusal is one.
 */
final class JavaIoFileInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.io.File");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.io.File");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        // One method per advice applied: the start's check then holds each of them to exist on this JDK.
        transformer.applyAdvice(named("delete").and(takesArguments(0)), FileMethodAdvice.class);
        for (String permission : List.of("setReadable", "setWritable", "setExecutable")) {
            transformer.applyAdvice(named(permission).and(takesArguments(boolean.class, boolean.class)), FileMethodAdvice.class);
        }
        transformer.applyAdvice(named("setReadOnly").and(takesArguments(0)), FileMethodAdvice.class);
        transformer.applyAdvice(named("setLastModified").and(takesArguments(long.class)), FileMethodAdvice.class);
        transformer.applyAdvice(named("mkdir").and(takesArguments(0)), DirectoryAdvice.class);
        transformer.applyAdvice(named("mkdirs").and(takesArguments(0)), DirectoryAdvice.class);
        transformer.applyAdvice(named("renameTo").and(takesArguments(File.class)), RenameAdvice.class);
        transformer.applyAdvice(named("createNewFile").and(takesArguments(0)), CreateNewFileAdvice.class);
        transformer.applyAdvice(named("createTempFile").and(isStatic()).and(takesArguments(String.class, String.class, File.class)),
                TempFileAdvice.class);
    }

    static final class FileMethodAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean onEnter(@Advice.FieldValue("path") String path, @Advice.Origin("#m") String method) {
            return FileActions.refuses(FileActions.decideFileMethod(path, method));
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter boolean refused, @Advice.Return(readOnly = false) boolean done) {
            if (refused) {
                done = false;
            }
        }
    }

    /**
     * {@code mkdirs} calls {@code mkdir} for itself and each missing parent: one decision, for the whole path. Not on a
     * {@code File} of the host's own class, whose {@code mkdir} or {@code getCanonicalFile} the JDK's {@code mkdirs}
     * calls: what they make is decided on its own.
     */
    static final class DirectoryAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean onEnter(@Advice.This File self, @Advice.FieldValue("path") String path, @Advice.Origin("#m") String method,
                               @Advice.Local("wardenScope") ActionScope scope) {
            if (self.getClass() != File.class) {
                return FileActions.refuses(FileActions.decideFile(FileActions.MKDIR, path, null, "File." + method));
            }
            scope = ActionScope.enter(FileActions.MKDIR_SCOPE);
            return FileActions.refuses(FileActions.decideFile(scope, FileActions.MKDIR, path, null, "File." + method));
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter boolean refused, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Return(readOnly = false) boolean done) {
            if (scope != null) {
                scope.exit();
            }
            if (refused) {
                done = false;
            }
        }
    }

    static final class RenameAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean onEnter(@Advice.FieldValue("path") String path, @Advice.Argument(value = 0, readOnly = false) File dest) {
            try {
                dest = FileActions.trustedCopy(dest);
            } catch (Throwable failure) {
                return FileActions.refuses(FileActions.failedToDescribe(failure));
            }
            return dest != null && FileActions.refuses(FileActions.decideFile(FileActions.MOVE, path, dest.getPath(), "File.renameTo"));
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter boolean refused, @Advice.Return(readOnly = false) boolean done) {
            if (refused) {
                done = false;
            }
        }
    }

    static final class CreateNewFileAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.FieldValue("path") String path) {
            return FileActions.refusalForCreateNewFile(path);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class TempFileAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) String prefix, @Advice.Argument(1) String suffix,
                                   @Advice.Argument(value = 2, readOnly = false) File directory) {
            try {
                directory = FileActions.trustedCopy(directory);
            } catch (Throwable failure) {
                return FileActions.ioRefusal(FileActions.failedToDescribe(failure));
            }
            return FileActions.refusalForTempFile(prefix, suffix, directory == null ? null : directory.getPath());
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown,
                           @Advice.Return(readOnly = false) File created) {
            if (denial != null) {
                thrown = denial;
                created = null;
            }
        }
    }
}
