package dev.warden.instrumentation.langchain4j;

import dev.warden.bootstrap.ActionScope;
import dev.warden.bootstrap.langchain4j.ToolActions;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static dev.warden.instrumentation.api.ClassFileMatchers.isClass;
import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

/**
 * Chat models asked while a tool call runs, for the {@code tool} surface: the tool calls such a model writes are its
 * own, never the inner half of the tool call under way ({@link ActionScope#modelAsked}), so an agent that hands a task
 * to another run of itself gets each of its calls decided. Part of the tool surface, not the model one: it must hold
 * where only tools are gated. Decides nothing, reads nothing.
 */
final class ModelAskedInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return hasSuperTypeNamed(Lc4jTypes.CHAT_MODEL).or(hasSuperTypeNamed(Lc4jTypes.STREAMING_CHAT_MODEL)).and(isClass());
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(namedOneOf("chat", "doChat").and(not(isAbstract()))
                .and(takesArgument(0, named(Lc4jTypes.CHAT_REQUEST))), AskedAdvice.class);
    }

    static final class AskedAdvice {

        private AskedAdvice() {
        }

        @Advice.OnMethodEnter
        static void onEnter() {
            ActionScope.modelAsked(ToolActions.SURFACE);
        }
    }
}
