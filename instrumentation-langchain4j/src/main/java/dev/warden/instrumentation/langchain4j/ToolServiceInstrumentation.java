package dev.warden.instrumentation.langchain4j;

import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code ToolService}: every tool call of a synchronous or streaming AI service passes
 * {@code executeWithErrorHandling} (1.6+), and every call of a tool that does not exist passes
 * {@code applyToolHallucinationStrategy} — decided too, so that a hallucinated tool gets a receipt
 * and an answer instead of an exception.
 */
final class ToolServiceInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("dev.langchain4j.service.tool.ToolService");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(namedOneOf("executeWithErrorHandling", "applyToolHallucinationStrategy")
                        .and(takesArgument(0, named(Lc4jTypes.TOOL_EXECUTION_REQUEST)))
                        .and(returns(named(Lc4jTypes.TOOL_EXECUTION_RESULT))),
                ToolCallAdvice.class);
        // 1.19+: the compensations of earlier tool calls, run after a later one returned an error.
        transformer.applyAdvice(named("compensateToolsActions").and(takesArguments(1)), CompensationAdvice.class);
    }
}
