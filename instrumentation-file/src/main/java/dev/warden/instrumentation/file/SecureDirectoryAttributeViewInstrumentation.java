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
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The attribute views a {@code SecureDirectoryStream} gives ({@code getFileAttributeView(type)} for its directory,
 * {@code getFileAttributeView(name, type)} for a name in it): their setters change times, mode and owner with {@code
 * futimens}, {@code fchmod(at)} and {@code fchown} relative to the directory the stream holds open, and reach neither
 * the provider nor the views {@link AttributeViewInstrumentation} advises. Each setter is a {@code WRITE} of where it
 * acts ({@code FileActions.refusalForAttributesIn}); the same classes and methods on JDK 17 and 25. Until an eleventh
 * review (2026-12-07) none was decided: under a careless policy a host opened the rules directory to every local user
 * and made the signing key readable by all through them, with no receipt.
 */
final class SecureDirectoryAttributeViewInstrumentation implements TypeInstrumentation {

    private final String type;
    private final List<ElementMatcher<? super MethodDescription>> methods;

    private SecureDirectoryAttributeViewInstrumentation(String type, List<ElementMatcher<? super MethodDescription>> methods) {
        this.type = type;
        this.methods = methods;
    }

    static List<TypeInstrumentation> all() {
        // setTimes is Basic's alone (Posix inherits it); setOwner and setGroup end in setOwners.
        return List.of(
                new SecureDirectoryAttributeViewInstrumentation("sun.nio.fs.UnixSecureDirectoryStream$BasicFileAttributeViewImpl",
                        List.of(named("setTimes"))),
                new SecureDirectoryAttributeViewInstrumentation("sun.nio.fs.UnixSecureDirectoryStream$PosixFileAttributeViewImpl",
                        List.of(named("setPermissions").and(takesArguments(Set.class)),
                                named("setOwners").and(takesArguments(int.class, int.class)))));
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(type);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return File.separatorChar == '/' ? List.of(type) : List.of();
    }

    @Override
    public void transform(TypeTransformer transformer) {
        for (ElementMatcher<? super MethodDescription> method : methods) {
            transformer.applyAdvice(method, ChangeAdvice.class);
        }
    }

    static final class ChangeAdvice {
        /** {@code this$0}: the stream, whose open directory a name is relative to; {@code file} null: that directory. */
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.FieldValue("this$0") Object stream, @Advice.FieldValue("file") Path file,
                                   @Advice.FieldValue("followLinks") boolean followLinks, @Advice.Origin("#m") String method) {
            return FileActions.refusalForAttributesIn(stream, file, followLinks, method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
