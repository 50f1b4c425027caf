package dev.warden.instrumentation.file;

import dev.warden.bootstrap.file.FileActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.FileNotFoundException;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code FileOutputStream}, {@code RandomAccessFile} and {@code FileInputStream}: every path
 * constructor (and so {@code FileWriter}, {@code PrintWriter(File)}, {@code PrintStream(String)},
 * a process redirect to a file) ends in the class's private {@code open(String, ...)}, which receives
 * the very string the native open will use. Advising it, rather than the public constructors, means
 * a {@code File} subclass whose {@code getPath()} answers differently on each call cannot show the
 * gate one path and the kernel another. The same on JDK 17 and 25. One instrumentation per class, each with its own
 * {@code open} and advice, so the start's check holds each class to its advice.
 */
final class FileStreamInstrumentation implements TypeInstrumentation {

    private final String type;
    /** The private {@code open}'s parameters; its matcher is made in {@link #transform}, where ByteBuddy is wanted. */
    private final List<Class<?>> open;
    private final Class<?> advice;

    private FileStreamInstrumentation(String type, List<Class<?>> open, Class<?> advice) {
        this.type = type;
        this.open = open;
        this.advice = advice;
    }

    /** Made before ByteBuddy's type system is: the start names these classes' targets without asking ByteBuddy. */
    static List<TypeInstrumentation> all() {
        return List.of(
                new FileStreamInstrumentation("java.io.FileOutputStream", List.of(String.class, boolean.class), OutputStreamAdvice.class),
                new FileStreamInstrumentation("java.io.RandomAccessFile", List.of(String.class, int.class), RandomAccessAdvice.class),
                new FileStreamInstrumentation("java.io.FileInputStream", List.of(String.class), InputStreamAdvice.class));
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(type);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of(type);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("open").and(takesArguments(open.toArray(Class<?>[]::new))), advice);
    }

    static final class OutputStreamAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static FileNotFoundException onEnter(@Advice.Argument(0) String name, @Advice.Argument(1) boolean append) {
            return FileActions.refusalForOutputStream(name, append);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter FileNotFoundException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class RandomAccessAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static FileNotFoundException onEnter(@Advice.Argument(0) String name, @Advice.Argument(1) int mode) {
            return FileActions.refusalForRandomAccess(name, mode);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter FileNotFoundException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class InputStreamAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static FileNotFoundException onEnter(@Advice.Argument(0) String name) {
            return FileActions.refusalForInputStream(name);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter FileNotFoundException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
