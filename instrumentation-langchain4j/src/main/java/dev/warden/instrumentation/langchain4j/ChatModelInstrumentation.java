package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.warden.bootstrap.CallDepth;
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
 * {@code ChatModel} implementations. {@code chat(ChatRequest)} is an interface default that calls
 * {@code doChat}, but several providers override {@code chat} itself: both are advised, and the
 * call-depth guard keeps one decision per call. A refusal throws {@code ActionDeniedException}
 * before the provider is reached; the usage the provider reports is recorded after.
 */
final class ChatModelInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperType(named(Lc4jTypes.CHAT_MODEL)).and(not(isInterface()));
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(namedOneOf("chat", "doChat").and(not(isAbstract())).and(takesArguments(1))
                .and(takesArgument(0, named(Lc4jTypes.CHAT_REQUEST))), ChatAdvice.class);
    }

    static final class ChatAdvice {

        private ChatAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static RuntimeException onEnter(@Advice.This ChatModel model, @Advice.Argument(0) ChatRequest request,
                                        @Advice.Local("wardenDepth") CallDepth depth,
                                        @Advice.Local("wardenDecision") Decision decision) {
            depth = CallDepth.of(ModelActions.SURFACE);
            if (!depth.enter()) {
                return null;
            }
            String name = request == null ? null : request.modelName();
            if (name == null && model.defaultRequestParameters() != null) {
                name = model.defaultRequestParameters().modelName();
            }
            decision = ModelActions.decide(name, model.getClass().getName(), request == null ? null : request.messages(), false);
            return ModelActions.refusal(decision);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter RuntimeException refusal, @Advice.Local("wardenDepth") CallDepth depth,
                           @Advice.Local("wardenDecision") Decision decision, @Advice.Return ChatResponse response,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            depth.exit();
            if (refusal != null) {
                thrown = refusal;
            } else if (decision != null && thrown == null && response != null && response.tokenUsage() != null) {
                TokenUsage usage = response.tokenUsage();
                ModelActions.usage(decision, usage.inputTokenCount(), usage.outputTokenCount(), usage.totalTokenCount());
            }
        }
    }
}
