package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.invocation.InvocationContext;
import dev.warden.bootstrap.langchain4j.ToolActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

/**
 * An AI service's tool call, for the {@code model} surface: the identity entries of its invocation's parameters are
 * read as it begins, if they were not yet, and what the tool wrote to them is undone when it returns
 * ({@link ToolActions#returned}), so that an application that hands the same
 * parameters object to its next request does not have that request's model calls made, and counted against budgets,
 * for whoever the tool named. Part of the model surface, not the tool one: it must hold where only models are gated (the
 * tool surface's own hook does the same). Decides nothing.
 */
final class ToolReturnedInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("dev.langchain4j.service.tool.ToolService");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("executeWithErrorHandling").and(takesArgument(0, named(Lc4jTypes.TOOL_EXECUTION_REQUEST)))
                .and(returns(named(Lc4jTypes.TOOL_EXECUTION_RESULT))), ReturnedAdvice.class);
    }

    static final class ReturnedAdvice {

        private ReturnedAdvice() {
        }

        @Advice.OnMethodEnter
        static void onEnter(@Advice.AllArguments Object[] arguments) {
            try {
                for (Object argument : arguments) {
                    if (argument instanceof InvocationContext context) {
                        ToolActions.calling(context, context.invocationParameters() == null ? null
                                : context.invocationParameters().asMap());
                    }
                }
            } catch (Throwable unreadable) {
                // a context that cannot be read: what the invocation began with is read elsewhere or not at all
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.AllArguments Object[] arguments) {
            try {
                for (Object argument : arguments) {
                    if (argument instanceof InvocationContext context) {
                        ToolActions.returned(context, context.invocationParameters() == null ? null
                                : context.invocationParameters().asMap());
                    }
                }
            } catch (Throwable unreadable) {
                // a context that cannot be read: the invocation's steps still read what it began with
            }
        }
    }
}
