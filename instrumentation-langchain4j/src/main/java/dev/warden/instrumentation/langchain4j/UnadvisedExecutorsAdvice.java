package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.service.tool.ToolExecutor;
import dev.warden.bootstrap.langchain4j.UnadvisedExecutors;
import net.bytebuddy.asm.Advice;

import java.util.Map;

/**
 * After a {@code ToolServiceContext} constructor: its executors, with every one no advice decides (a lambda, an
 * {@code execute} inherited from a class that is no executor) behind a decided proxy. One that cannot be proxied
 * fails the constructor, so the AI-service call fails instead of running the tool undecided.
 */
final class UnadvisedExecutorsAdvice {

    private UnadvisedExecutorsAdvice() {
    }

    @Advice.OnMethodExit
    static void onExit(@Advice.FieldValue(value = "toolExecutors", readOnly = false) Map<String, ToolExecutor> executors) {
        executors = UnadvisedExecutors.decided(executors, ToolExecutor.class);
    }
}
