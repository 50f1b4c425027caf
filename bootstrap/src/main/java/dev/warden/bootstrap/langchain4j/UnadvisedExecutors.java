package dev.warden.bootstrap.langchain4j;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tool executors no advice decides: a lambda or method reference ({@code (request, memoryId) -> ...}) is a hidden
 * class, defined without the class-file hook; and a class that inherits its {@code execute} from a class that is no
 * executor ({@code class NoteTool extends CommandRunner implements ToolExecutor}) has it where the executor advice,
 * which matches executor classes, never looks (found by a second reading, 2026-12-06). Where LangChain4j collects an
 * AI service's executors, each such executor is put behind a {@link Proxy} of the executor interface: a proxy class
 * is an ordinary executor class, transformed like any other, so its {@code execute} and {@code executeWithContext}
 * are decided before they forward. Executors whose {@code execute} an executor class declares are left as they are.
 */
public final class UnadvisedExecutors {

    private UnadvisedExecutors() {
    }

    /**
     * The executors with every unadvised one behind a decided proxy, in the same order; the same map
     * when none is unadvised.
     *
     * @param executors    tool name to executor, as LangChain4j holds them (may be null)
     * @param executorType LangChain4j's {@code ToolExecutor} interface, as the caller's loader sees it
     * @throws IllegalArgumentException when an unadvised executor cannot be proxied: the tool must not run undecided
     */
    public static <K, V> Map<K, V> decided(Map<K, V> executors, Class<?> executorType) {
        if (executors == null || executors.values().stream().noneMatch(executor -> unadvised(executor, executorType))) {
            return executors;
        }
        Map<K, V> wrapped = new LinkedHashMap<>(executors.size() * 2);
        executors.forEach((name, executor) -> wrapped.put(name, unadvised(executor, executorType) ? proxy(executor, executorType) : executor));
        return Collections.unmodifiableMap(wrapped);
    }

    static boolean unadvised(Object executor, Class<?> executorType) {
        if (executor == null || Proxy.isProxyClass(executor.getClass())) {
            return false;
        }
        if (executor.getClass().isHidden()) {
            return true;
        }
        try {
            for (Method method : executorType.getMethods()) {
                if (method.getName().equals("execute") && method.getParameterCount() == 2) {
                    Class<?> declaring = executor.getClass().getMethod("execute", method.getParameterTypes()).getDeclaringClass();
                    return !executorType.isAssignableFrom(declaring);
                }
            }
            return false;
        } catch (NoSuchMethodException | SecurityException unknown) {
            return true; // where its execute is cannot be told: behind the proxy it is decided
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> V proxy(V executor, Class<?> executorType) {
        if (!executorType.isInstance(executor)) {
            throw new IllegalArgumentException("not a " + executorType.getName() + ": " + executor.getClass().getName());
        }
        return (V) Proxy.newProxyInstance(executorType.getClassLoader(), new Class<?>[]{executorType}, new Forwarding(executor));
    }

    /** Forwards every call to the unadvised executor; the decision happens in the proxy's advised methods. */
    private record Forwarding(Object target) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            if (method.getDeclaringClass() == Object.class && method.getName().equals("equals")) {
                return proxy == arguments[0] || target.equals(arguments[0]);
            }
            try {
                return method.invoke(target, arguments);
            } catch (InvocationTargetException thrown) {
                throw thrown.getCause();
            }
        }
    }
}
