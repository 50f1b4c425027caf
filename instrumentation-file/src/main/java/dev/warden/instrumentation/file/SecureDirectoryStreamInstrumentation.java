package dev.warden.instrumentation.file;

import dev.warden.bootstrap.file.FileActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.List;
import java.util.Set;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code SecureDirectoryStream}, which {@code Files.newDirectoryStream} returns on Linux (and libraries use to delete
 * trees safely: Guava's {@code MoreFiles.deleteRecursively}): its writes, deletes and moves act relative to the
 * directory it holds open ({@code openat}, {@code unlinkat}, {@code renameat}) and never reach the provider's methods,
 * so they are decided here, on the path the name leads to from that directory ({@code SecureDirectories}).
 */
final class SecureDirectoryStreamInstrumentation implements TypeInstrumentation {

    private static final String TYPE = "sun.nio.fs.UnixSecureDirectoryStream";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(TYPE);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return File.separatorChar == '/' ? List.of(TYPE) : List.of();
    }

    @Override
    public void transform(TypeTransformer transformer) {
        // The typed methods: the erased bridges the interface needs call them.
        transformer.applyAdvice(named("newByteChannel").and(takesArgument(0, Path.class)).and(takesArgument(1, Set.class)),
                OpenAdvice.class);
        for (String delete : List.of("deleteFile", "deleteDirectory")) {
            transformer.applyAdvice(named(delete).and(takesArguments(Path.class)), DeleteAdvice.class);
        }
        transformer.applyAdvice(named("move").and(takesArguments(Path.class, SecureDirectoryStream.class, Path.class)),
                MoveAdvice.class);
    }

    static final class OpenAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.FieldValue("dfd") int directory, @Advice.Argument(0) Path name,
                                   @Advice.Argument(value = 1, readOnly = false) Set<? extends OpenOption> options) {
            try {
                options = FileActions.trustedCopy(options); // the JDK opens with the copy decided on
            } catch (Throwable failure) {
                return FileActions.ioRefusal(FileActions.failedToDescribe(failure));
            }
            return options == null ? null : FileActions.refusalForOpenIn(directory, name, options);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class DeleteAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.FieldValue("dfd") int directory, @Advice.Argument(0) Path name,
                                   @Advice.Origin("#m") String method) {
            return FileActions.refusalForDeleteIn(directory, name, method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class MoveAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.FieldValue("dfd") int directory, @Advice.Argument(0) Path name,
                                   @Advice.Argument(1) Object targetDirectory, @Advice.Argument(2) Path targetName) {
            return FileActions.refusalForMoveIn(directory, name, targetDirectory, targetName);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
