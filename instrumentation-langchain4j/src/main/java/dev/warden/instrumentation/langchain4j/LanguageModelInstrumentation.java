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
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code LanguageModel} implementations (all 1.x): {@code generate(String)} and {@code generate(Prompt)} send a prompt to
 * the provider as a chat call's messages are, and are decided as one ({@link ModelActions#completion}) before it. The
 * interface's default {@code generate(Prompt)} calls {@code generate(String)}; a class overriding both, one calling the
 * other, asks the same and gets one decision ({@link ActionScope}). A refusal throws {@code ActionDeniedException}, as a
 * refused chat call does; the usage the provider reports is recorded after.
 */
final class LanguageModelInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(Lc4jTypes.LANGUAGE_MODEL).and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(Lc4jTypes.LANGUAGE_MODEL);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("generate").and(not(isAbstract())).and(takesArguments(1))
                .and(takesArgument(0, namedOneOf(String.class.getName(), Lc4jTypes.PROMPT))), GenerateAdvice.class);
    }

    static final class GenerateAdvice {

        private GenerateAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static RuntimeException onEnter(@Advice.This Object model, @Advice.Argument(value = 0, readOnly = false, typing = net.bytebuddy.implementation.bytecode.assign.Assigner.Typing.DYNAMIC) Object prompt,
                                        @Advice.Local("wardenScope") ActionScope scope,
                                        @Advice.Local("wardenDecision") Decision decision) {
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
                action = ModelActions.completion(model.getClass().getName(), text, false);
            } catch (Throwable unreadable) { // a broken prompt: refused, never sent undecided
                decision = scope.refused(ModelActions.unreadable(unreadable));
                return ModelActions.refusal(decision);
            }
            decision = ModelActions.decide(scope, action, model);
            return ModelActions.refusal(decision);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.This Object model, @Advice.Enter RuntimeException refusal, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Local("wardenDecision") Decision decision, @Advice.Return Response<?> response,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (refusal != null) {
                thrown = refusal;
            } else if (decision != null && !scope.inherited() && thrown == null && response != null) {
                try {
                    TokenUsage usage = response.tokenUsage();
                    if (usage != null) {
                        ModelActions.usage(model, decision, usage.inputTokenCount(), usage.outputTokenCount(), usage.totalTokenCount());
                    }
                } catch (Throwable unreadable) {
                    // The call already ran: a response that cannot be read reports no usage, and does not fail it.
                }
            }
        }
    }
}
