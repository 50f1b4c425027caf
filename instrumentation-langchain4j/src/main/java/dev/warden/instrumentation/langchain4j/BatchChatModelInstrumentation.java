package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.model.batch.BatchRequest;
import dev.langchain4j.model.batch.BatchResponse;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.langchain4j.ModelActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code BatchChatModel} implementations (1.19+; before, no class has the interface and this matches none):
 * {@code submit(BatchRequest<ChatRequest>)} sends every chat request of the batch at once, and is decided as one
 * {@code model} action over all of them ({@link ModelActions#batch}) before the provider is reached. A refusal throws
 * {@code ActionDeniedException}, as a refused chat call does, and no request of the batch is sent. {@code retrieve},
 * {@code cancel} and {@code list} send no prompt. The usage of responses the submit returns at once is recorded; a
 * batch whose responses come later, through {@code retrieve}, keeps what its budgets reserved.
 */
final class BatchChatModelInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(Lc4jTypes.BATCH_CHAT_MODEL).and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(Lc4jTypes.BATCH_CHAT_MODEL);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("submit").and(not(isAbstract())).and(takesArguments(1))
                .and(takesArgument(0, named(Lc4jTypes.BATCH_REQUEST))), SubmitAdvice.class);
    }

    static final class SubmitAdvice {

        private SubmitAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static RuntimeException onEnter(@Advice.This Object model, @Advice.Argument(value = 0, readOnly = false) BatchRequest<?> batch,
                                        @Advice.Local("wardenScope") ActionScope scope,
                                        @Advice.Local("wardenDecision") Decision decision) {
            scope = ActionScope.enter(ModelActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            ActionRequest action;
            try {
                ModelActions.Batch asked = ModelActions.batch(model.getClass().getName());
                // As for one chat request: a batch or a request of the application's own class is read once, into a copy
                // that is decided and sent (tenth review, 2026-12-07).
                boolean copied = !ModelActions.isLangChain4jOwn(batch);
                List<ChatRequest> requests = new java.util.ArrayList<>();
                for (Object each : batch.requests()) {
                    ChatRequest request = (ChatRequest) each;
                    if (!ModelActions.isLangChain4jOwn(request)) {
                        request = ChatRequest.builder().messages(request.messages()).parameters(request.parameters()).build();
                        copied = true;
                    }
                    requests.add(request);
                    asked.add(request.modelName(), request.messages(), request.maxOutputTokens(), request.toolSpecifications(),
                            request.responseFormat() == null ? null : request.responseFormat().jsonSchema(), request.parameters());
                }
                if (copied) {
                    batch = new BatchRequest<>(requests);
                }
                action = asked.request();
            } catch (Throwable unreadable) { // a null or broken batch: refused, never sent undecided
                decision = scope.refused(ModelActions.unreadable(unreadable));
                return ModelActions.refusal(decision);
            }
            decision = ModelActions.decide(scope, action, model);
            return ModelActions.refusal(decision);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.This Object model, @Advice.Enter RuntimeException refusal, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Local("wardenDecision") Decision decision, @Advice.Return BatchResponse<?> response,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (refusal != null) {
                thrown = refusal;
            } else if (decision != null && !scope.inherited() && thrown == null && response != null) {
                try {
                    List<?> responses = response.responses();
                    if (responses != null && !responses.isEmpty()) {
                        int input = 0;
                        int output = 0;
                        int total = 0;
                        for (Object each : responses) {
                            TokenUsage usage = each == null ? null : ((ChatResponse) each).tokenUsage();
                            if (usage != null) {
                                input += usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
                                output += usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
                                total += usage.totalTokenCount() == null ? 0 : usage.totalTokenCount();
                            }
                        }
                        ModelActions.usage(model, decision, input, output, total);
                    }
                } catch (Throwable unreadable) {
                    // The batch was sent: a response that cannot be read reports no usage, and does not fail it.
                }
            }
        }
    }
}
