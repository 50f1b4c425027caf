package dev.warden.agent.install;

import dev.warden.agent.logging.WardenLog;
import dev.warden.instrumentation.api.InstrumentationModule;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/**
 * Installs every module's advice with retransformation, so classes loaded before premain (JDK
 * classes, a driver on the boot path) are covered too. Warden's own classes, its loader, and
 * ByteBuddy are never instrumented.
 */
public final class AgentInstaller {

    private AgentInstaller() {
    }

    public static void install(Instrumentation instrumentation, List<InstrumentationModule> modules) {
        ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                // Describe already-loaded types from their class files: describing them by reflection
                // loads the types they mention (SocketChannelImpl mentions java.net.Socket), and a class
                // loaded while a transformation is under way is skipped by the circularity guard, so it
                // would stay unadvised for the life of the JVM.
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
                .with(new FailureListener())
                // Warden's own classes, not every dev.warden name: the e2e hosts and the demo are applications.
                .ignore(nameStartsWith("net.bytebuddy.").or(nameStartsWith("dev.warden.bootstrap.")).or(nameStartsWith("dev.warden.agent."))
                        .or(isSynthetic()))
                .or(any(), is(agentLoader));
        for (InstrumentationModule module : modules) {
            for (TypeInstrumentation typeInstrumentation : module.typeInstrumentations()) {
                builder = builder.type(typeInstrumentation.typeMatcher()).transform(new AdviceTransformer(typeInstrumentation));
            }
        }
        builder.installOn(instrumentation);
    }

    /**
     * The advice of one type instrumentation. Advice is described from its class file and resolved
     * against the instrumented class's own loader, so advice may name library types (OkHttp,
     * LangChain4j) that Warden's loader does not have.
     */
    private static final class AdviceTransformer implements AgentBuilder.Transformer, TypeTransformer {
        private AgentBuilder.Transformer.ForAdvice advice = new AgentBuilder.Transformer.ForAdvice()
                .include(AgentInstaller.class.getClassLoader());

        AdviceTransformer(TypeInstrumentation instrumentation) {
            instrumentation.transform(this);
        }

        @Override
        public void applyAdvice(ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass) {
            advice = advice.advice(methods, adviceClass.getName());
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                ClassLoader loader, JavaModule module,
                                                java.security.ProtectionDomain protectionDomain) {
            return advice.transform(builder, type, loader, module, protectionDomain);
        }
    }

    /** A type that cannot be instrumented is reported once: its actions would go ungated. */
    private static final class FailureListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            WardenLog.warn("could not instrument " + typeName + ": " + error);
        }
    }
}
