package dev.warden.instrumentation.file;

import dev.warden.bootstrap.file.FileActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A file's metadata changed through NIO's attribute views: {@code Files.setLastModifiedTime}, {@code
 * setPosixFilePermissions}, {@code setOwner}, {@code setAttribute} (any view's), a user-defined (extended) attribute
 * written or deleted, a DOS attribute (an extended attribute on Linux). Each view of the default file system ends in one
 * of these methods, which act on the view's {@code file} (following links unless the view was asked not to), the same
 * on JDK 17 and 25; a change is a {@code WRITE} of that file. Until a ninth review (2026-12-07) none was decided, and a
 * host made Warden's own directories unwritable or retimed its cache with no receipt.
 */
final class AttributeViewInstrumentation implements TypeInstrumentation {

    private static final boolean UNIX = File.separatorChar == '/';
    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

    private final String type;
    private final List<ElementMatcher<? super MethodDescription>> methods;
    private final boolean required;

    private AttributeViewInstrumentation(String type, List<ElementMatcher<? super MethodDescription>> methods, boolean required) {
        this.type = type;
        this.methods = methods;
        this.required = required;
    }

    static List<TypeInstrumentation> all() {
        // One method per change: the public setters end in these (setPermissions in setMode, setOwner in setOwners).
        return List.of(
                new AttributeViewInstrumentation("sun.nio.fs.UnixFileAttributeViews$Basic", List.of(named("setTimes")), UNIX),
                new AttributeViewInstrumentation("sun.nio.fs.UnixFileAttributeViews$Posix",
                        List.of(named("setMode"), named("setOwners")), UNIX),
                new AttributeViewInstrumentation("sun.nio.fs.LinuxDosFileAttributeView", List.of(named("updateDosAttribute")), LINUX),
                // The public write, not the private one it calls.
                new AttributeViewInstrumentation("sun.nio.fs.UnixUserDefinedFileAttributeView",
                        List.of(named("write").and(takesArguments(String.class, ByteBuffer.class)), named("delete")), UNIX));
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(type);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return required ? List.of(type) : List.of();
    }

    @Override
    public void transform(TypeTransformer transformer) {
        for (ElementMatcher<? super MethodDescription> method : methods) {
            transformer.applyAdvice(method, ChangeAdvice.class);
        }
    }

    static final class ChangeAdvice {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.FieldValue("file") Path file, @Advice.FieldValue("followLinks") boolean followLinks,
                                   @Advice.Origin("#m") String method) {
            return FileActions.refusalForAttributes(file, followLinks, method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
