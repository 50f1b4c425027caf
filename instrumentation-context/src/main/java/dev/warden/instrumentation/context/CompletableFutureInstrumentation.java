package dev.warden.instrumentation.context;

import dev.warden.bootstrap.Handoffs;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.concurrent.Executor;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code CompletableFuture}'s dependent stages run for the thread that made them, not for the thread that
 * completes the stage before them: that one may be a client's internal thread (the JDK {@code HttpClient}'s
 * workers, fed by its selector), which works for nobody, or a thread of another session. Every dependent stage
 * is a {@code UniCompletion} (the two-source ones extend it), made where {@code thenApply}, {@code thenCompose},
 * {@code whenComplete}... is called: the identity is attached to it there ({@code Handoffs.stageMade}), and
 * made current around its {@code tryFire}, run inline by whoever completes its source or by its executor.
 */
final class CompletableFutureInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.util.concurrent.CompletableFuture$UniCompletion");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.util.concurrent.CompletableFuture$UniCompletion");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(isConstructor().and(takesArguments(3)).and(takesArgument(0, Executor.class)), MadeAdvice.class);
    }

    /** The stages, each of which runs its function (or relays a result) in its own {@code tryFire(int)}. */
    static final class Stages implements TypeInstrumentation {

        /** Every concrete {@code UniCompletion} of JDK 17 to 25. */
        static final List<String> STAGES = List.of("UniApply", "UniAccept", "UniRun", "UniWhenComplete", "UniHandle",
                "UniExceptionally", "UniComposeExceptionally", "UniRelay", "UniCompose", "BiApply", "BiAccept", "BiRun",
                "BiRelay", "OrApply", "OrAccept", "OrRun").stream().map(name -> "java.util.concurrent.CompletableFuture$" + name)
                .toList();

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return namedOneOf(STAGES.toArray(String[]::new));
        }

        @Override
        public List<String> requiredJdkTypes() {
            return STAGES;
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("tryFire").and(takesArguments(int.class)), FireAdvice.class);
        }
    }

    static final class MadeAdvice {

        private MadeAdvice() {
        }

        @Advice.OnMethodExit
        static void onExit(@Advice.This Object stage, @Advice.Argument(1) Object dependent, @Advice.Argument(2) Object source) {
            Handoffs.stageMade(stage, dependent, source);
        }
    }

    static final class FireAdvice {

        private FireAdvice() {
        }

        @Advice.OnMethodEnter
        static Object onEnter(@Advice.This Object stage) {
            return Handoffs.stageFires(stage);
        }

        /** {@code dep} is nulled once the stage has run. */
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.This Object stage, @Advice.FieldValue("dep") Object dependent, @Advice.Enter Object switched) {
            Handoffs.stageFired(stage, dependent, switched);
        }
    }
}
