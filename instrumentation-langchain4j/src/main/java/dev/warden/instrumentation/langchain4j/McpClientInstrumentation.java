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

/**
 * MCP tools called straight through the client ({@code DefaultMcpClient.executeTool}), bypassing any
 * executor. Through {@code McpToolExecutor} they were decided one frame up already.
 */
final class McpClientInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(Lc4jTypes.MCP_CLIENT).and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(Lc4jTypes.MCP_CLIENT);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("executeTool").and(not(isAbstract()))
                        .and(takesArgument(0, named(Lc4jTypes.TOOL_EXECUTION_REQUEST)))
                        .and(returns(named(Lc4jTypes.TOOL_EXECUTION_RESULT))),
                ToolCallAdvice.class);
    }
}
