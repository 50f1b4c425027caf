package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.langchain4j.ResultFilter;
import dev.warden.bootstrap.langchain4j.ToolActions;
import net.bytebuddy.asm.Advice;

/**
 * {@code ToolExecutor.execute(request, memoryId)}, the String-returning entry of every LangChain4j
 * 1.x version: what AI services call before 1.4, and what programmatic callers call directly. A
 * refusal is returned as the tool's result text (an exception here fails the caller's whole
 * AI-service call before 1.4).
 */
final class ToolExecuteAdvice {

    private ToolExecuteAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static String onEnter(@Advice.This Object executor, @Advice.Argument(0) ToolExecutionRequest request,
                          @Advice.Argument(1) Object memoryId,
                          @Advice.Local("wardenScope") ActionScope scope,
                          @Advice.Local("wardenDecision") Decision decision) {
        scope = ActionScope.enter(ToolActions.SURFACE);
        if (scope.isWardensOwn()) {
            return null;
        }
        ActionRequest action;
        try {
            action = ToolActions.request(request.name(), request.arguments(), request.id(), memoryId, null, null, null, true,
                    executor, null);
        } catch (Throwable unreadable) { // a null or broken request: refused, never run undecided
            decision = scope.refused(ToolActions.unreadable(unreadable));
            return ToolActions.refusalText(decision);
        }
        decision = scope.decide(action, ToolActions.carrier(action, request));
        return decision.blocks() ? ToolActions.refusalText(decision) : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void onExit(@Advice.Enter String refusal, @Advice.Local("wardenScope") ActionScope scope,
                       @Advice.Local("wardenDecision") Decision decision,
                       @Advice.Return(readOnly = false) String result, @Advice.Thrown Throwable thrown) {
        scope.exit();
        if (refusal != null) {
            result = refusal;
        } else if (decision != null && thrown == null) {
            result = ResultFilter.restrict(result, decision.enforcedObligations());
        }
    }
}
