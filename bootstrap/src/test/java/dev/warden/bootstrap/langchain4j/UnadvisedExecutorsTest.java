package dev.warden.bootstrap.langchain4j;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnadvisedExecutorsTest {

    /** Stands in for LangChain4j's {@code ToolExecutor}. */
    public interface Executor {
        String execute(String request, Object memoryId);

        default String executeTwice(String request) {
            return execute(request, null) + execute(request, null);
        }
    }

    static final class Named implements Executor {
        @Override
        public String execute(String request, Object memoryId) {
            return "named " + request;
        }
    }

    @Test
    void aLambdaIsPutBehindAProxyOfTheInterfaceThatForwardsEveryCall() {
        Map<String, Executor> executors = new LinkedHashMap<>();
        executors.put("a", (request, memoryId) -> "lambda " + request + " " + memoryId);
        executors.put("b", new Named());

        Map<String, Executor> decided = UnadvisedExecutors.decided(executors, Executor.class);

        assertThat(decided).containsOnlyKeys("a", "b");
        assertThat(decided.keySet()).containsExactly("a", "b");
        assertThat(Proxy.isProxyClass(decided.get("a").getClass())).isTrue();
        assertThat(decided.get("a").execute("x", "s1")).isEqualTo("lambda x s1");
        assertThat(decided.get("a").executeTwice("y")).isEqualTo("lambda y nulllambda y null");
        assertThat(decided.get("b")).as("a class with a class file is advised itself").isSameAs(executors.get("b"));
    }

    /** A base class that is no executor: the advice matches executor classes, so its execute was never decided. */
    public static class CommandRunner {
        public String execute(String request, Object memoryId) {
            return "inherited " + request;
        }
    }

    static final class Inheriting extends CommandRunner implements Executor {
    }

    @Test
    void anExecutorWhoseExecuteIsInheritedFromAClassThatIsNoExecutorIsPutBehindAProxyToo() {
        Map<String, Executor> decided = UnadvisedExecutors.decided(Map.of("c", new Inheriting()), Executor.class);

        assertThat(Proxy.isProxyClass(decided.get("c").getClass())).isTrue();
        assertThat(decided.get("c").execute("x", null)).isEqualTo("inherited x");
    }

    @Test
    void executorsWithClassFilesOnlyAreLeftAsTheyAre() {
        Map<String, Executor> executors = Map.of("b", new Named());

        assertThat(UnadvisedExecutors.decided(executors, Executor.class)).isSameAs(executors);
        assertThat(UnadvisedExecutors.decided(null, Executor.class)).isNull();
    }

    @Test
    void whatTheLambdaThrowsReachesTheCallerUnwrapped() {
        Map<String, Executor> executors = Map.of("a", (request, memoryId) -> {
            throw new IllegalStateException("tool failed");
        });

        Executor decided = UnadvisedExecutors.decided(executors, Executor.class).get("a");

        assertThatThrownBy(() -> decided.execute("x", null)).isInstanceOf(IllegalStateException.class).hasMessage("tool failed");
    }

    @Test
    void aHiddenExecutorThatIsNotOfTheInterfaceIsRefusedRatherThanLeftUndecided() {
        Map<String, Object> executors = Map.of("a", (Runnable) () -> { });

        assertThatThrownBy(() -> UnadvisedExecutors.decided(executors, Executor.class)).isInstanceOf(IllegalArgumentException.class);
    }
}
