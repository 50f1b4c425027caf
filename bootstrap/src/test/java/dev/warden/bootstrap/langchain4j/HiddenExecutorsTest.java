package dev.warden.bootstrap.langchain4j;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HiddenExecutorsTest {

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

        Map<String, Executor> decided = HiddenExecutors.decided(executors, Executor.class);

        assertThat(decided).containsOnlyKeys("a", "b");
        assertThat(decided.keySet()).containsExactly("a", "b");
        assertThat(Proxy.isProxyClass(decided.get("a").getClass())).isTrue();
        assertThat(decided.get("a").execute("x", "s1")).isEqualTo("lambda x s1");
        assertThat(decided.get("a").executeTwice("y")).isEqualTo("lambda y nulllambda y null");
        assertThat(decided.get("b")).as("a class with a class file is advised itself").isSameAs(executors.get("b"));
    }

    @Test
    void executorsWithClassFilesOnlyAreLeftAsTheyAre() {
        Map<String, Executor> executors = Map.of("b", new Named());

        assertThat(HiddenExecutors.decided(executors, Executor.class)).isSameAs(executors);
        assertThat(HiddenExecutors.decided(null, Executor.class)).isNull();
    }

    @Test
    void whatTheLambdaThrowsReachesTheCallerUnwrapped() {
        Map<String, Executor> executors = Map.of("a", (request, memoryId) -> {
            throw new IllegalStateException("tool failed");
        });

        Executor decided = HiddenExecutors.decided(executors, Executor.class).get("a");

        assertThatThrownBy(() -> decided.execute("x", null)).isInstanceOf(IllegalStateException.class).hasMessage("tool failed");
    }

    @Test
    void aHiddenExecutorThatIsNotOfTheInterfaceIsRefusedRatherThanLeftUndecided() {
        Map<String, Object> executors = Map.of("a", (Runnable) () -> { });

        assertThatThrownBy(() -> HiddenExecutors.decided(executors, Executor.class)).isInstanceOf(IllegalArgumentException.class);
    }
}
