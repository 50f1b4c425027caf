package dev.warden.instrumentation.langchain4j;

import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The {@code ToolExecutor} interface's own default {@code executeWithContext} (1.4+): a lambda executor
 * inherits it, so the application's own loop calling {@code executeWithContext} on a lambda is decided
 * there. A lambda's {@code execute} is the lambda's body and stays out of reach (docs/LANGCHAIN4J.md).
 */
final class ToolExecutorDefaultsInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(Lc4jTypes.TOOL_EXECUTOR);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("executeWithContext").and(not(isAbstract())).and(takesArguments(2))
                        .and(takesArgument(0, named(Lc4jTypes.TOOL_EXECUTION_REQUEST)))
                        .and(returns(named(Lc4jTypes.TOOL_EXECUTION_RESULT))),
                ToolCallAdvice.class);
    }
}
