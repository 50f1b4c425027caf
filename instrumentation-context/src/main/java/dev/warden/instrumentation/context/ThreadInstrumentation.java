package dev.warden.instrumentation.context;

import dev.warden.bootstrap.Handoffs;
import dev.warden.instrumentation.api.TypeInstrumentation;
import dev.warden.instrumentation.api.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static dev.warden.instrumentation.api.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * A thread started carries the identity of the thread that started it, for its whole run. Captured
 * in {@code Thread.start()}, and in {@code start(ThreadContainer)}, by which JDK 21+ executors and
 * structured concurrency start their threads; made current in {@code run()}, which the JVM calls on
 * the new thread: {@code Thread}'s own, or the override of a subclass of the application's (the JDK's
 * own subclasses run JDK machinery, a pool's loop or a selector, for nobody in particular).
 */
final class ThreadInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.lang.Thread");
    }

    @Override
    public List<String> requiredJdkTypes() {
        return List.of("java.lang.Thread");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdvice(named("start").and(takesArguments(0).or(takesArguments(1)
                .and(takesArgument(0, named("jdk.internal.vm.ThreadContainer"))))).and(not(isAbstract())), StartAdvice.class);
        transformer.applyAdvice(named("run").and(takesArguments(0)), RunAdvice.class);
    }

    /** The application's subclasses of {@code Thread} that override {@code run()}. */
    static final class Subclasses implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            // Names first, then the hierarchy every surface's matchers share (a type that has Thread above it is a class).
            return not(nameStartsWith("java.").or(nameStartsWith("jdk.")).or(nameStartsWith("sun."))
                    .or(nameStartsWith("com.sun."))).and(hasSuperTypeNamed("java.lang.Thread"));
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("run").and(takesArguments(0)).and(not(isAbstract())), RunAdvice.class);
        }
    }

    /**
     * Virtual threads (JDK 21+; absent in 17, where this matches nothing): {@code VirtualThread}
     * overrides both starts, and runs its task in {@code run(Runnable)}, on the virtual thread.
     */
    static final class Virtual implements TypeInstrumentation {

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("java.lang.VirtualThread");
        }

        /** JDK 21+ only. */
        @Override
        public List<String> optionalJdkTypes() {
            return List.of("java.lang.VirtualThread");
        }

        @Override
        public void transform(TypeTransformer transformer) {
            transformer.applyAdvice(named("start").and(takesArguments(0).or(takesArguments(1)
                    .and(takesArgument(0, named("jdk.internal.vm.ThreadContainer"))))), StartAdvice.class);
            transformer.applyAdvice(named("run").and(takesArguments(1)).and(takesArgument(0, Runnable.class)), RunAdvice.class);
        }
    }

    static final class StartAdvice {

        private StartAdvice() {
        }

        @Advice.OnMethodEnter
        static void onEnter(@Advice.This Thread thread) {
            Handoffs.submitted(thread);
        }
    }

    static final class RunAdvice {

        private RunAdvice() {
        }

        @Advice.OnMethodEnter
        static Object onEnter(@Advice.This Thread thread) {
            return Handoffs.threadRuns(thread);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void onExit(@Advice.Enter Object switched) {
            Handoffs.end(switched);
        }
    }
}
