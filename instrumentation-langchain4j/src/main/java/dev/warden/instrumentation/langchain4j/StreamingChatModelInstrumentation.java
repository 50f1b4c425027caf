package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.langchain4j.ModelActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static dev.warden.instrumentation.api.ClassFileMatchers.declaresMethodNamed;
import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code StreamingChatModel} implementations, decided like {@link ChatModelInstrumentation}. The
 * answer arrives later, on another thread, at the handler: the decision is attached to the handler
 * the caller passed, and recorded with the usage when that handler hears the complete response.
 */
final class StreamingChatModelInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(Lc4jTypes.STREAMING_CHAT_MODEL).and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(Lc4jTypes.STREAMING_CHAT_MODEL);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        // chat(request, options, handler) (1.19+) too, as for blocking models: the interface's chat(request, handler) calls it.
        transformer.applyAdvice(not(isAbstract()).and(takesArgument(0, named(Lc4jTypes.CHAT_REQUEST)))
                .and(namedOneOf("chat", "doChat").and(takesArguments(2)).and(takesArgument(1, named(Lc4jTypes.STREAMING_HANDLER)))
                        .or(named("chat").and(takesArguments(3)).and(takesArgument(1, named(Lc4jTypes.CHAT_REQUEST_OPTIONS)))
                                .and(takesArgument(2, named(Lc4jTypes.STREAMING_HANDLER))))), StreamingChatAdvice.class);
    }

    static final class StreamingChatAdvice {

        private StreamingChatAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static RuntimeException onEnter(@Advice.This Object model, @Advice.Argument(value = 0, readOnly = false) ChatRequest request,
                                        @Advice.AllArguments Object[] arguments, // the handler is the last
                                        @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(ModelActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            ActionRequest action;
            try {
                // ChatRequest is not final: a request of the application's own class may answer the provider's reads
                // otherwise than the decision's (other messages on a second read). What is decided and sent is a copy,
                // read once (found by the tenth review, 2026-12-07: an approval of one prompt sent another).
                if (request != null && !ModelActions.isLangChain4jOwn(request)) {
                    request = ChatRequest.builder().messages(request.messages()).parameters(request.parameters()).build();
                }
                action = ModelActions.request(request.modelName(), model.getClass().getName(), request.messages(), true, request.maxOutputTokens(),
                        request.toolSpecifications(), request.responseFormat() == null ? null : request.responseFormat().jsonSchema(),
                        request.parameters());
            } catch (Throwable unreadable) { // a null or broken request: refused, never sent undecided
                return ModelActions.refusal(scope.refused(ModelActions.unreadable(unreadable)));
            }
            // The usage is reported by the handler's advice, when the provider hands it the complete response.
            Decision decision = ModelActions.decide(scope, action, arguments[arguments.length - 1]);
            RuntimeException refusal = ModelActions.refusal(decision);
            // As in ChatModelInstrumentation (inlined, so written out): the output the budget reserved, told to the provider.
            Integer cap = refusal == null ? ModelActions.outputCap(decision, request.maxOutputTokens()) : null;
            if (cap != null) {
                ChatRequest capped = null;
                Integer sent = null;
                Throwable failure = null;
                try {
                    capped = ChatRequest.builder().messages(request.messages()).parameters(request.parameters()
                            .overrideWith(ChatRequestParameters.builder().maxOutputTokens(cap).build())).build();
                    sent = capped.maxOutputTokens();
                    scope.nowSends(ModelActions.request(capped.modelName(), model.getClass().getName(), capped.messages(), true, sent,
                            capped.toolSpecifications(), capped.responseFormat() == null ? null : capped.responseFormat().jsonSchema(),
                            capped.parameters()));
                } catch (Throwable unwritable) {
                    failure = unwritable;
                }
                refusal = ModelActions.notCapped(decision, sent, failure);
                if (refusal == null) {
                    request = capped;
                }
            }
            if (refusal == null) {
                ModelActions.streamStarted(arguments[arguments.length - 1], decision);
            }
            return refusal;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter RuntimeException refusal, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (refusal != null) {
                thrown = refusal;
            }
        }
    }

    /**
     * The caller's handler hearing the complete response: the usage of a permitted streaming call. Wherever the handler
     * takes {@code onCompleteResponse} from: its class, a default of an interface extending the handler's, or a class
     * that is no handler (an application's base class): a handler that inherits it from one of the last two reported
     * nothing, and its calls' output counted against no budget. The advice reports only for a handler a permitted call
     * was given, so advising a method of the name in a class that is no handler changes nothing for other objects.
     */
    static final class HandlerInstrumentation implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return hasSuperTypeNamed(Lc4jTypes.STREAMING_HANDLER).or(declaresMethodNamed("onCompleteResponse", COMPLETE_RESPONSE));
        }

        @Override
        public List<String> visibleTypes() {
            return List.of(Lc4jTypes.STREAMING_HANDLER);
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("onCompleteResponse").and(not(isAbstract())).and(COMPLETE_RESPONSE), CompleteResponseAdvice.class);
        }
    }

    private static final ElementMatcher.Junction<MethodDescription> COMPLETE_RESPONSE =
            takesArguments(1).and(takesArgument(0, named(Lc4jTypes.CHAT_RESPONSE)));

    static final class CompleteResponseAdvice {

        private CompleteResponseAdvice() {
        }

        @Advice.OnMethodEnter
        static void onEnter(@Advice.This Object handler, @Advice.Argument(0) ChatResponse response) {
            try {
                Decision decision = ModelActions.streamOf(handler);
                TokenUsage usage = decision == null || response == null ? null : response.tokenUsage();
                if (usage != null) {
                    ModelActions.usage(handler, decision, usage.inputTokenCount(), usage.outputTokenCount(), usage.totalTokenCount());
                }
            } catch (Throwable unreadable) {
                // The call already ran: a response that cannot be read reports no usage, and does not fail it.
            }
        }
    }
}
