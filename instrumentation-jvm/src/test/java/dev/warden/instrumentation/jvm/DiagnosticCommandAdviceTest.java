package dev.warden.instrumentation.jvm;

import dev.warden.bootstrap.ActionDeniedException;
import dev.warden.bootstrap.ActionRequest;
import dev.warden.bootstrap.Decision;
import dev.warden.bootstrap.Gate;
import dev.warden.bootstrap.Obligations;
import dev.warden.bootstrap.Outcome;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The diagnostic-command advice, woven into a class shaped like the JDK's per-command wrapper. */
class DiagnosticCommandAdviceTest {

    /** Like {@code DiagnosticCommandImpl$Wrapper}: the command it was made for, and the join of the line it runs. */
    public static class Wrapper {
        String cmd = "Thread.print";

        public String execute(String[] args) {
            return cmd + " " + String.join(" ", args);
        }
    }

    private static final List<ActionRequest> DECIDED = new CopyOnWriteArrayList<>();
    private static volatile Runnable duringDecision = () -> { };
    private static volatile Outcome answer = Outcome.PERMIT;

    static {
        Gate.install(new Gate.Engine() {
            @Override
            public Decision decide(ActionRequest request) {
                DECIDED.add(request);
                duringDecision.run();
                return new Decision(answer, true, List.of("rule"), "because", "receipt-1", Obligations.NONE);
            }
        });
    }

    private final Class<?> advised = new ByteBuddy().redefine(Wrapper.class).name(Wrapper.class.getName() + "Advised")
            .visit(Advice.to(DiagnosticCommandInstrumentation.ExecuteAdvice.class).on(named("execute")))
            .make().load(DiagnosticCommandAdviceTest.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();

    @BeforeEach
    void reset() {
        DECIDED.clear();
        duringDecision = () -> { };
        answer = Outcome.PERMIT;
    }

    @Test
    void theCommandRunsWithTheArgumentsDecidedOnWhateverTheCallerDoesToItsArrayMeanwhile() throws Exception {
        String[] callers = {"-l"};
        duringDecision = () -> callers[0] = "-e"; // another thread of the caller's, while the rules decide

        Object ran = advised.getMethod("execute", String[].class).invoke(advised.getConstructor().newInstance(), (Object) callers);

        assertThat(DECIDED).singleElement().satisfies(action -> assertThat(action.attributes()).containsEntry("jvm.line", "Thread.print -l"));
        assertThat(ran).isEqualTo("Thread.print -l");
        assertThat(callers[0]).as("the caller's own array is the caller's").isEqualTo("-e");
    }

    @Test
    void aRefusedCommandNeverRunsAndThrowsTheSecurityExceptionTheMBeanWould() throws Exception {
        answer = Outcome.DENY;
        Object wrapper = advised.getConstructor().newInstance();

        Throwable thrown = catchThrowable(() -> advised.getMethod("execute", String[].class).invoke(wrapper, (Object) new String[] {"-l"}));

        assertThat(thrown).isInstanceOf(InvocationTargetException.class).cause().isInstanceOf(SecurityException.class)
                .hasMessageContaining("warden: denied by rule").hasCauseInstanceOf(ActionDeniedException.class);
        assertThat(DECIDED).hasSize(1);
    }
}
