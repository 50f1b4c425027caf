package dev.warden.instrumentation.langchain4j;

import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * {@code ToolServiceContext}: every AI-service call of every 1.x version takes the executors it runs
 * from one of these ({@code tools(Map)}, a {@code ToolProvider}'s results, the {@code @Tool} objects), so
 * each constructor puts the ones no advice decides (lambdas, an {@code execute} inherited from a class that is no
 * executor) behind a decided proxy ({@code UnadvisedExecutors}). Before 1.6 the AI service called {@code execute}
 * on them itself, and a lambda's {@code execute} has no class file to advise.
 */
final class ToolServiceContextInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("dev.langchain4j.service.tool.ToolServiceContext");
    }

    @Override
    public boolean requiresEveryAdvice() {
        return true;
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isConstructor(), UnadvisedExecutorsAdvice.class);
    }
}
