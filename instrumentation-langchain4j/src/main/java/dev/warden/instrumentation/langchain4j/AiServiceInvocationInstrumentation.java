package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.invocation.InvocationContext;
import dev.warden.bootstrap.langchain4j.Invocations;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;

import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The AI service's proxy handler, {@code invoke(Method, Object[], InvocationContext)} (1.6+): while it
 * runs, the model calls it makes are attributed to the invocation's memory id and invocation
 * parameters, like its tool calls. Matched by that signature, not by the handler's (anonymous) name.
 * This advice never refuses anything; it only remembers who is asking.
 */
final class AiServiceInvocationInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return nameStartsWith("dev.langchain4j.service.").and(isSubTypeOf(InvocationHandler.class));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("invoke").and(takesArguments(3)).and(takesArgument(0, Method.class))
                .and(takesArgument(2, named(Lc4jTypes.INVOCATION_CONTEXT))), InvocationAdvice.class);
    }

    static final class InvocationAdvice {

        private InvocationAdvice() {
        }

        @Advice.OnMethodEnter
        static Object onEnter(@Advice.Argument(2) InvocationContext context) {
            return context == null ? Invocations.enter(null, null, null, null, null)
                    : Invocations.enter(context.chatMemoryId(),
                            context.invocationParameters() == null ? null : context.invocationParameters().asMap(),
                            context.interfaceName(), context.methodName(), context);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter Object previous) {
            Invocations.exit(previous);
        }
    }
}
