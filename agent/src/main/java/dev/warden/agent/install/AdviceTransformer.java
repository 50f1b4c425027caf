package dev.warden.agent.install;

import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;

/**
 * The advice of one type instrumentation. Advice is described from its class file and resolved
 * against the instrumented class's own loader, so advice may name library types (OkHttp,
 * LangChain4j) that Warden's loader does not have. An instrumentation that
 * {@linkplain TypeInstrumentation#requiresEveryAdvice() requires every advice} fails the
 * transformation of a type where one of its advices matches no method: the type is then refused.
 */
final class AdviceTransformer implements AgentBuilder.Transformer {

    /** One {@code applyAdvice} call. */
    record Advice(ElementMatcher<? super MethodDescription> methods, String adviceClass) {
    }

    private final TypeInstrumentation instrumentation;
    private final List<Advice> advices;
    private final ClassLoader agentLoader;
    private final AgentBuilder.PoolStrategy typePools;
    private volatile AgentBuilder.Transformer.ForAdvice advice;

    AdviceTransformer(TypeInstrumentation instrumentation, ClassLoader agentLoader, AgentBuilder.PoolStrategy typePools) {
        this.instrumentation = instrumentation;
        this.advices = advicesOf(instrumentation);
        this.agentLoader = agentLoader;
        this.typePools = typePools;
    }

    /**
     * Made at the first type this instrumentation transforms, not at install: making one initialises ByteBuddy's
     * {@code Advice}, which a start whose JDK classes are replayed from the cache does not need before {@code main}.
     */
    private AgentBuilder.Transformer.ForAdvice advice() {
        AgentBuilder.Transformer.ForAdvice made = advice;
        if (made == null) {
            // The instrumented type is described again here, with the same fallback as for matching.
            made = new AgentBuilder.Transformer.ForAdvice().with(typePools)
                    .with(AgentBuilder.LocationStrategy.ForClassLoader.WEAK).include(agentLoader);
            for (Advice each : advices) {
                made = made.advice(each.methods(), each.adviceClass());
            }
            advice = made; // two threads may both make one: equal, and either serves
        }
        return made;
    }

    /** What the instrumentation applies, in order. */
    static List<Advice> advicesOf(TypeInstrumentation instrumentation) {
        List<Advice> advices = new ArrayList<>();
        TypeTransformer recorder = (methods, adviceClass) -> advices.add(new Advice(methods, adviceClass.getName()));
        instrumentation.transform(recorder);
        return List.copyOf(advices);
    }

    /** The advices that match no method declared by the type. */
    static List<String> unmatched(List<Advice> advices, TypeDescription type) {
        List<String> unmatched = new ArrayList<>();
        for (Advice each : advices) {
            if (type.getDeclaredMethods().filter(each.methods()).isEmpty()) {
                unmatched.add(each.adviceClass());
            }
        }
        return unmatched;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                            JavaModule module, ProtectionDomain protectionDomain) {
        if (instrumentation.requiresEveryAdvice()) {
            List<String> unmatched = unmatched(advices, type);
            if (!unmatched.isEmpty()) {
                throw new IllegalStateException("no method of " + type.getName() + " matches " + String.join(", ", unmatched));
            }
        }
        return advice().transform(builder, type, loader, module, protectionDomain);
    }
}
