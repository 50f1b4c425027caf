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
 * {@code ChatModel} implementations. {@code chat(ChatRequest)} is an interface default that calls
 * {@code doChat}, but several providers override {@code chat} itself: both are advised, and the
 * inner call inherits the outer one's decision when its request is the same ({@link ActionScope}). A refusal throws {@code ActionDeniedException}
 * before the provider is reached; the usage the provider reports is recorded after.
 */
final class ChatModelInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(Lc4jTypes.CHAT_MODEL).and(isClass());
    }

    @Override
    public List<String> visibleTypes() {
        return List.of(Lc4jTypes.CHAT_MODEL);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        // chat(request, options) (1.19+) too: the interface's chat(request) calls it, so a provider that overrides it
        // (and not doChat) was asked by every AI service with no decision (found by the ninth review, 2026-12-07).
        transformer.applyAdvice(not(isAbstract()).and(namedOneOf("chat", "doChat").and(takesArguments(1))
                        .or(named("chat").and(takesArguments(2)).and(takesArgument(1, named(Lc4jTypes.CHAT_REQUEST_OPTIONS)))))
                .and(takesArgument(0, named(Lc4jTypes.CHAT_REQUEST))), ChatAdvice.class);
    }

    static final class ChatAdvice {

        private ChatAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static RuntimeException onEnter(@Advice.This Object model, @Advice.Argument(value = 0, readOnly = false) ChatRequest request,
                                        @Advice.Local("wardenScope") ActionScope scope,
                                        @Advice.Local("wardenDecision") Decision decision) {
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
                action = ModelActions.request(request.modelName(), model.getClass().getName(), request.messages(), false, request.maxOutputTokens(),
                        request.toolSpecifications(), request.responseFormat() == null ? null : request.responseFormat().jsonSchema(),
                        request.parameters());
            } catch (Throwable unreadable) { // a null or broken request: refused, never sent undecided
                decision = scope.refused(ModelActions.unreadable(unreadable));
                return ModelActions.refusal(decision);
            }
            decision = ModelActions.decide(scope, action, model);
            RuntimeException refusal = ModelActions.refusal(decision);
            // Inlined into the host, so written out here and in the streaming advice: LangChain4j's types are not the
            // bootstrap's. The budget reserved this much output; the provider is told, in the request it is sent.
            Integer cap = refusal == null ? ModelActions.outputCap(decision, request.maxOutputTokens()) : null;
            if (cap != null) {
                ChatRequest capped = null;
                Integer sent = null;
                Throwable failure = null;
                try {
                    capped = ChatRequest.builder().messages(request.messages()).parameters(request.parameters()
                            .overrideWith(ChatRequestParameters.builder().maxOutputTokens(cap).build())).build();
                    sent = capped.maxOutputTokens();
                    scope.nowSends(ModelActions.request(capped.modelName(), model.getClass().getName(), capped.messages(), false, sent,
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
            return refusal;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.This Object model, @Advice.Enter RuntimeException refusal, @Advice.Local("wardenScope") ActionScope scope,
                           @Advice.Local("wardenDecision") Decision decision, @Advice.Return ChatResponse response,
                           @Advice.Thrown(readOnly = false) Throwable thrown) {
            scope.exit();
            if (refusal != null) {
                thrown = refusal;
            } else if (decision != null && thrown == null && response != null) {
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
