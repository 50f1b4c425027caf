package dev.warden.instrumentation.file;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.file.FileActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.io.File;
import java.nio.file.CopyOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * NIO on the default file system: every {@code Files} method that writes, and {@code FileChannel.open},
 * {@code AsynchronousFileChannel.open}, ends in one of these methods of
 * {@code sun.nio.fs.UnixFileSystemProvider} (the same methods on JDK 17 and 25; {@code Files.write},
 * {@code writeString}, {@code newOutputStream}, {@code newBufferedWriter}, {@code createFile} and
 * {@code createTempFile} through {@code newByteChannel}; {@code delete} and {@code deleteIfExists}
 * through {@code implDelete}). Options the host passed in a collection or array are replaced by a
 * copy before they are read, so the options decided are the options the JDK opens with.
 */
final class FileSystemProviderInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("sun.nio.fs.UnixFileSystemProvider");
    }

    @Override
    public List<String> requiredJdkTypes() {
        // Unix only: Windows' provider is another class, not instrumented (docs/FILE.md).
        return File.separatorChar == '/' ? List.of("sun.nio.fs.UnixFileSystemProvider") : List.of();
    }

    @Override
    public void transform(TypeTransformer transformer) {
        // One method per advice applied: the start's check then holds each of them to exist on this JDK.
        for (String open : List.of("newByteChannel", "newFileChannel", "newAsynchronousFileChannel")) {
            transformer.applyAdvice(named(open).and(takesArgument(0, Path.class)).and(takesArgument(1, Set.class)), OpenAdvice.class);
        }
        transformer.applyAdvice(named("implDelete").and(takesArguments(Path.class, boolean.class)), OnePathAdvice.class);
        transformer.applyAdvice(named("createDirectory").and(takesArgument(0, Path.class)), OnePathAdvice.class);
        for (String copyOrMove : List.of("copy", "move")) {
            transformer.applyAdvice(named(copyOrMove).and(takesArguments(Path.class, Path.class, CopyOption[].class)),
                    CopyMoveAdvice.class);
        }
        transformer.applyAdvice(named("createSymbolicLink").and(takesArgument(0, Path.class)).and(takesArgument(1, Path.class)),
                LinkAdvice.class);
        transformer.applyAdvice(named("createLink").and(takesArguments(Path.class, Path.class)), LinkAdvice.class);
    }

    /**
     * On JDK 25 one of these opens may call another for the same path object (the byte channel is a
     * file channel): the inner call is the same action and is not decided again.
     */
    static final class OpenAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) Path path,
                                   @Advice.Argument(value = 1, readOnly = false) Set<? extends OpenOption> options,
                                   @Advice.Origin("#m") String method, @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(FileActions.OPEN_SCOPE);
            try {
                options = FileActions.trustedCopy(options);
            } catch (Throwable failure) {
                return FileActions.ioRefusal(FileActions.failedToDescribe(failure));
            }
            return options == null ? null : FileActions.refusalForOpen(scope, path, options, "nio." + method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (scope != null) {
                scope.exit();
            }
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class OnePathAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) Path path, @Advice.Origin("#m") String method) {
            return FileActions.refusalFor(method.equals("implDelete") ? FileActions.DELETE : FileActions.MKDIR, path,
                    method.equals("implDelete") ? "nio.delete" : "nio." + method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class CopyMoveAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) Path source, @Advice.Argument(1) Path target,
                                   @Advice.Argument(value = 2, readOnly = false) CopyOption[] options,
                                   @Advice.Origin("#m") String method) {
            options = options == null ? null : options.clone();
            return FileActions.refusalForTwo(method.equals("copy") ? FileActions.COPY : FileActions.MOVE, source, target,
                    options, "nio." + method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class LinkAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) Path link, @Advice.Argument(1) Path target, @Advice.Origin("#m") String method) {
            return FileActions.refusalForTwo(FileActions.LINK, link, target, null, "nio." + method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
