package dev.warden.instrumentation.langchain4j;

import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Tool executors invoked outside AI services ({@code DefaultToolExecutor}, MCP's
 * {@code McpToolExecutor}, the host's own), and every AI-service tool call before 1.4, when the
 * service called {@code ToolExecutor.execute} itself. Inside an AI service of 1.6+ the call was
 * already decided at {@code ToolService}; the call-depth guard keeps it to one decision.
 */
final class ToolExecutorInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(Lc4jTypes.TOOL_EXECUTOR).and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(Lc4jTypes.TOOL_EXECUTOR);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("execute").and(not(isAbstract())).and(takesArguments(2))
                        .and(takesArgument(0, named(Lc4jTypes.TOOL_EXECUTION_REQUEST)))
                        .and(returns(String.class)),
                ToolExecuteAdvice.class);
        transformer.applyAdvice(named("executeWithContext").and(not(isAbstract())).and(takesArguments(2))
                        .and(takesArgument(0, named(Lc4jTypes.TOOL_EXECUTION_REQUEST)))
                        .and(returns(named(Lc4jTypes.TOOL_EXECUTION_RESULT))),
                ToolCallAdvice.class);
    }
}
