package dev.warden.instrumentation.langchain4j;

import dev.langchain4j.model.input.Prompt;
import dev.langchain4j.model.output.Response;
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
 * {@code StreamingLanguageModel} implementations (all 1.x): {@code generate(String|Prompt, handler)}, decided like
 * {@link LanguageModelInstrumentation}. A refusal throws from the call, as a refused streaming chat call does, and the
 * handler hears nothing; a permitted call's decision is attached to the handler, whose {@code onComplete} records the
 * usage.
 */
final class StreamingLanguageModelInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(Lc4jTypes.STREAMING_LANGUAGE_MODEL).and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(Lc4jTypes.STREAMING_LANGUAGE_MODEL);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("generate").and(not(isAbstract())).and(takesArguments(2))
                .and(takesArgument(0, namedOneOf(String.class.getName(), Lc4jTypes.PROMPT)))
                .and(takesArgument(1, named(Lc4jTypes.STREAMING_RESPONSE_HANDLER))), StreamingGenerateAdvice.class);
    }

    static final class StreamingGenerateAdvice {

        private StreamingGenerateAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static RuntimeException onEnter(@Advice.This Object model, @Advice.Argument(value = 0, readOnly = false, typing = net.bytebuddy.implementation.bytecode.assign.Assigner.Typing.DYNAMIC) Object prompt,
                                        @Advice.Argument(1) Object handler, @Advice.Local("wardenScope") ActionScope scope) {
            scope = ActionScope.enter(ModelActions.SURFACE);
            if (scope.isWardensOwn()) {
                return null;
            }
            ActionRequest action;
            try {
                String text = prompt instanceof Prompt ? ((Prompt) prompt).text() : (String) prompt;
                // Prompt is not final: one of the application's own class may answer the provider's read otherwise than
                // this one. The prompt decided and sent is a copy, read once (as for a ChatRequest, tenth review).
                if (prompt instanceof Prompt && !ModelActions.isLangChain4jOwn(prompt)) {
                    prompt = Prompt.from(text);
                }
                action = ModelActions.completion(model.getClass().getName(), text, true);
            } catch (Throwable unreadable) { // a broken prompt: refused, never sent undecided
                return ModelActions.refusal(scope.refused(ModelActions.unreadable(unreadable)));
            }
            Decision decision = ModelActions.decide(scope, action, handler);
            ModelActions.streamStarted(handler, decision);
            return ModelActions.refusal(decision);
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
     * The caller's handler hearing the complete response: the usage of a permitted streaming completion. Its
     * {@code onComplete} is an interface default that most handlers inherit, so the interface is advised with the
     * classes and interfaces that override it, and with classes that are no handler but declare it (an application's
     * base class a handler inherits it from: such a handler reported nothing, its output counted against no budget).
     */
    static final class HandlerInstrumentation implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return hasSuperTypeNamed(Lc4jTypes.STREAMING_RESPONSE_HANDLER).or(declaresMethodNamed("onComplete", COMPLETE));
        }

        @Override
        public List<String> visibleTypes() {
            return List.of(Lc4jTypes.STREAMING_RESPONSE_HANDLER);
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("onComplete").and(not(isAbstract())).and(COMPLETE), CompleteAdvice.class);
        }
    }

    private static final ElementMatcher.Junction<MethodDescription> COMPLETE = takesArguments(1).and(takesArgument(0, named(Lc4jTypes.RESPONSE)));

    static final class CompleteAdvice {

        private CompleteAdvice() {
        }

        @Advice.OnMethodEnter
        static void onEnter(@Advice.This Object handler, @Advice.Argument(0) Response<?> response) {
            try {
                Decision decision = ModelActions.streamEnded(handler);
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
