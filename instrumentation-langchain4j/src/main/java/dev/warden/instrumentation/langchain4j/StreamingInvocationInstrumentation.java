package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.invocation.InvocationContext;
import dev.warden.bootstrap.langchain4j.Invocations;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.declaresField;
import static net.bytebuddy.matcher.ElementMatchers.fieldType;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A streaming AI service makes its model calls after its proxy returned: when the caller starts the
 * token stream ({@code AiServiceTokenStream.start()}), and again from its response handler, on the
 * provider's callback thread, once tools have run ({@code onCompleteResponse}). Both keep the
 * invocation's context in a field; while they run, model calls are attributed to it, as in
 * {@link AiServiceInvocationInstrumentation}. Matched by that field, so versions without it are left alone.
 */
final class StreamingInvocationInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return nameStartsWith("dev.langchain4j.service.")
                .and(declaresField(named("invocationContext").and(fieldType(named(Lc4jTypes.INVOCATION_CONTEXT)))));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("start").and(takesArguments(0))
                .or(named("onCompleteResponse").and(takesArguments(1))), InvocationScopeAdvice.class);
    }

    static final class InvocationScopeAdvice {

        private InvocationScopeAdvice() {
        }

        @Advice.OnMethodEnter
        static Object onEnter(@Advice.FieldValue("invocationContext") InvocationContext context) {
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
