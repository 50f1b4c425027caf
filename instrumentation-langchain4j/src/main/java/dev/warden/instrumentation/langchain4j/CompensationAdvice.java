package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.langchain4j.Compensations;
import net.bytebuddy.asm.Advice;

/**
 * {@code ToolService.compensateToolsActions} (1.19+): the tool calls decided while it runs are compensations
 * ({@link Compensations}).
 */
final class CompensationAdvice {

    private CompensationAdvice() {
    }

    @Advice.OnMethodEnter
    static void onEnter() {
        Compensations.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void onExit() {
        Compensations.exit();
    }
}
