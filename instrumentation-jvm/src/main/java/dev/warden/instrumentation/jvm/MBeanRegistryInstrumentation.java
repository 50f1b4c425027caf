package dev.warden.instrumentation.jvm;

import dev.warden.bootstrap.jvm.WardenBeans;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import javax.management.ObjectName;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK's MBean server behind every {@code MBeanServer} it makes, the platform one included: every registration
 * (by {@code registerMBean} or {@code createMBean}) reaches {@code registerWithRepository} with the object registered
 * and the name its {@code preRegister} settled on, and every unregistration {@code exclusiveUnregisterMBean}, each
 * with the server's own copy of the name and its default domain filled in (a name such as {@code :type=Agent} means
 * {@code dev.warden:type=Agent} on a server whose default domain is {@code dev.warden}). Both are asked about
 * Warden's own domain ({@link WardenBeans}) before anything changes.
 */
final class MBeanRegistryInstrumentation implements TypeInstrumentation {

    static final String INTERCEPTOR = "com.sun.jmx.interceptor.DefaultMBeanServerInterceptor";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(INTERCEPTOR);
    }

    @Override
    public List<String> requiredJdkTypes() {
        return ModuleLayer.boot().findModule("java.management").isPresent() ? List.of(INTERCEPTOR) : List.of();
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("registerWithRepository").and(takesArguments(3))
                .and(takesArgument(2, ObjectName.class)), RegisterAdvice.class);
        transformer.applyAdvice(named("exclusiveUnregisterMBean").and(takesArguments(ObjectName.class)), UnregisterAdvice.class);
    }

    static final class RegisterAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static SecurityException onEnter(@Advice.Argument(0) Object resource, @Advice.Argument(2) ObjectName name) {
            return WardenBeans.refusalToRegister(resource, name);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter SecurityException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }

    static final class UnregisterAdvice {

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static SecurityException onEnter(@Advice.Argument(0) ObjectName name) {
            return WardenBeans.refusalToUnregister(name);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter SecurityException denial, @Advice.Thrown(readOnly = false) Throwable thrown) {
            if (denial != null) {
                thrown = denial;
            }
        }
    }
}
