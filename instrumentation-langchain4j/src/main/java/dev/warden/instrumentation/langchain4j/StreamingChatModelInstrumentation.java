package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.langchain4j.ModelActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
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
        return hasSuperType(named(Lc4jTypes.STREAMING_CHAT_MODEL)).and(not(isInterface()));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(namedOneOf("chat", "doChat").and(not(isAbstract())).and(takesArguments(2))
                .and(takesArgument(0, named(Lc4jTypes.CHAT_REQUEST)))
                .and(takesArgument(1, named(Lc4jTypes.STREAMING_HANDLER))), StreamingChatAdvice.class);
    }

    static final class StreamingChatAdvice {

        private StreamingChatAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static RuntimeException onEnter(@Advice.This StreamingChatModel model, @Advice.Argument(0) ChatRequest request,
                                        @Advice.Argument(1) StreamingChatResponseHandler handler) {
            if (!ModelActions.enterStream()) {
                return null;
            }
            String name = request == null ? null : request.modelName();
            if (name == null && model.defaultRequestParameters() != null) {
                name = model.defaultRequestParameters().modelName();
            }
            Decision decision = ModelActions.decide(name, model.getClass().getName(),
                    request == null ? null : request.messages(), true);
            ModelActions.streamStarted(handler, decision);
            return ModelActions.refusal(decision);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter RuntimeException refusal, @Advice.Thrown(readOnly = false) Throwable thrown) {
            ModelActions.exitStream();
            if (refusal != null) {
                thrown = refusal;
            }
        }
    }

    /** The caller's handler hearing the complete response: the usage of a permitted streaming call. */
    static final class HandlerInstrumentation implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return hasSuperType(named(Lc4jTypes.STREAMING_HANDLER)).and(not(isInterface()));
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("onCompleteResponse").and(not(isAbstract())).and(takesArguments(1))
                    .and(takesArgument(0, named(Lc4jTypes.CHAT_RESPONSE))), CompleteResponseAdvice.class);
            transformer.applyAdvice(named("onError").and(not(isAbstract())).and(takesArguments(1)), CallbackAdvice.class);
        }
    }

    static final class CompleteResponseAdvice {

        private CompleteResponseAdvice() {
        }

        @Advice.OnMethodEnter
        static int onEnter(@Advice.This Object handler, @Advice.Argument(0) ChatResponse response) {
            Decision decision = ModelActions.streamOf(handler);
            if (decision != null && response != null && response.tokenUsage() != null) {
                TokenUsage usage = response.tokenUsage();
                ModelActions.usage(decision, usage.inputTokenCount(), usage.outputTokenCount(), usage.totalTokenCount());
            }
            return ModelActions.suspendStreams();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter int suspended) {
            ModelActions.resumeStreams(suspended);
        }
    }

    /** Any other callback that may continue the conversation from inside the provider's call. */
    static final class CallbackAdvice {

        private CallbackAdvice() {
        }

        @Advice.OnMethodEnter
        static int onEnter() {
            return ModelActions.suspendStreams();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter int suspended) {
            ModelActions.resumeStreams(suspended);
        }
    }
}
