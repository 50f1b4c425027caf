package dev.warden.instrumentation.jvm;

import dev.warden.bootstrap.jvm.JvmActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.io.IOException;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK's attach client used from inside the JVM ({@code VirtualMachine.attach}, or the provider from
 * {@code AttachProvider.providers()}): both of the provider's {@code attachVirtualMachine} methods, by id and by
 * descriptor, are decided before it connects, in native code no socket advice sees. A descriptor is read only when it
 * is exactly the JDK's own class (host code cannot subclass it); any other is passed to the method by id, which is decided. The class
 * lives in {@code jdk.attach}, defined by the application class loader, so the start's check of the JDK's classes
 * (which reads the platform loader's) does not see it: it is named as optional, and the end-to-end test is its check.
 */
final class AttachClientInstrumentation implements TypeInstrumentation {

    static final String PROVIDER = "sun.tools.attach.AttachProviderImpl";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(PROVIDER);
    }

    @Override
    public List<String> optionalJdkTypes() {
        return List.of(PROVIDER);
    }

    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("attachVirtualMachine").and(takesArguments(String.class)), ByIdAdvice.class);
        transformer.applyAdvice(named("attachVirtualMachine").and(takesArguments(1))
                .and(takesArgument(0, named("com.sun.tools.attach.VirtualMachineDescriptor"))), ByDescriptorAdvice.class);
    }

    static final class ByIdAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) String id) {
            return JvmActions.refusalForAttachClient(id);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class ByDescriptorAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static IOException onEnter(@Advice.Argument(0) Object descriptor) {
            return JvmActions.refusalForAttachDescriptor(descriptor);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter IOException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
