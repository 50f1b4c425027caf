package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.langchain4j.ResultFilter;
import dev.warden.bootstrap.langchain4j.ToolActions;
import net.bytebuddy.asm.Advice;

/**
 * Every tool-execution method that takes a {@link ToolExecutionRequest} first and returns a
 * {@link ToolExecutionResult} (LangChain4j 1.6+): {@code ToolService.executeWithErrorHandling},
 * {@code ToolService.applyToolHallucinationStrategy}, {@code ToolExecutor.executeWithContext},
 * {@code McpClient.executeTool}. The outermost of them decides, the inner ones for the same request
 * inherit its decision ({@link ActionScope}); a refusal skips the
 * body and becomes an error result the model reads, never an exception: thrown from
 * {@code executeWithErrorHandling} it would fail the whole AI-service call instead of one tool. When the call
 * returns, what it wrote to the identity entries of its invocation's parameters is undone.
 */
final class ToolCallAdvice {

    private ToolCallAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static String onEnter(@Advice.Origin("#m") String method, @Advice.This(optional = true) Object self,
                          @Advice.AllArguments Object[] arguments,
                          @Advice.Local("wardenScope") ActionScope scope,
                          @Advice.Local("wardenDecision") Decision decision,
                          @Advice.Local("wardenInvocation") InvocationContext invocation,
                          @Advice.Local("wardenParameters") java.util.Map<String, Object> parameters) {
        scope = ActionScope.enter(ToolActions.SURFACE);
        if (scope.isWardensOwn()) {
            return null;
        }
        ToolExecutionRequest request;
        ActionRequest action;
        try {
            request = (ToolExecutionRequest) arguments[0];
            InvocationContext context = null;
            for (Object argument : arguments) {
                if (argument instanceof InvocationContext) {
                    context = (InvocationContext) argument;
                }
            }
            invocation = context;
            parameters = context == null || context.invocationParameters() == null ? null : context.invocationParameters().asMap();
            action = ToolActions.request(request.name(), request.arguments(), request.id(),
                    context == null ? null : context.chatMemoryId(),
                    context == null ? null : context.interfaceName(),
                    context == null ? null : context.methodName(),
                    parameters, context, !"applyToolHallucinationStrategy".equals(method), self, arguments);
        } catch (Throwable unreadable) { // whatever the call's objects throw: refused, never run undecided
            decision = scope.refused(ToolActions.unreadable(unreadable));
            return ToolActions.refusalText(decision);
        }
        decision = scope.decide(action, ToolActions.carrier(action, request));
        return decision.blocks() ? ToolActions.refusalText(decision) : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void onExit(@Advice.Enter String refusal, @Advice.Local("wardenScope") ActionScope scope,
                       @Advice.Local("wardenDecision") Decision decision,
                       @Advice.Local("wardenInvocation") InvocationContext invocation,
                       @Advice.Local("wardenParameters") java.util.Map<String, Object> parameters,
                       @Advice.Return(readOnly = false) ToolExecutionResult result,
                       @Advice.Thrown Throwable thrown) {
        scope.exit();
        ToolActions.returned(invocation, parameters);
        if (refusal != null) {
            result = ToolExecutionResult.builder().isError(true).resultText(refusal).build();
        } else if (decision != null && thrown == null && result != null && decision.enforcedObligations().restrictsResults()) {
            String text;
            boolean error;
            try {
                text = result.resultText();
                error = result.isError();
            } catch (Throwable unreadable) { // a result of the application's making may throw: withheld
                text = null;
                error = true;
            }
            // Obligations that cannot be applied withhold the result: it must not reach the model unfiltered.
            result = ToolExecutionResult.builder().isError(text == null || error)
                    .resultText(text == null ? ResultFilter.WITHHELD : ResultFilter.restrict(text, decision.enforcedObligations()))
                    .build();
        }
    }
}
