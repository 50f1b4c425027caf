package dev.warden.bootstrap.langchain4j;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tool executors whose class the transformer never sees: a lambda or method reference
 * ({@code (request, memoryId) -> ...}) is a hidden class, defined without the class-file hook, so no
 * advice on its {@code execute} exists. Where LangChain4j collects an AI service's executors, each such
 * executor is put behind a {@link Proxy} of the executor interface: a proxy class is an ordinary class,
 * transformed like any executor class, so its {@code execute} and {@code executeWithContext} are decided
 * before they forward to the lambda. Executors with a class file are left as they are (already advised).
 */
public final class HiddenExecutors {

    private HiddenExecutors() {
    }

    /**
     * The executors with every hidden-class one behind a decided proxy, in the same order; the same map
     * when none is hidden.
     *
     * @param executors    tool name to executor, as LangChain4j holds them (may be null)
     * @param executorType LangChain4j's {@code ToolExecutor} interface, as the caller's loader sees it
     * @throws IllegalArgumentException when a hidden executor cannot be proxied: the tool must not run undecided
     */
    public static <K, V> Map<K, V> decided(Map<K, V> executors, Class<?> executorType) {
        if (executors == null || executors.values().stream().noneMatch(HiddenExecutors::isHidden)) {
            return executors;
        }
        Map<K, V> wrapped = new LinkedHashMap<>(executors.size() * 2);
        executors.forEach((name, executor) -> wrapped.put(name, isHidden(executor) ? proxy(executor, executorType) : executor));
        return Collections.unmodifiableMap(wrapped);
    }

    static boolean isHidden(Object executor) {
        return executor != null && executor.getClass().isHidden() && !Proxy.isProxyClass(executor.getClass());
    }

    @SuppressWarnings("unchecked")
    private static <V> V proxy(V executor, Class<?> executorType) {
        if (!executorType.isInstance(executor)) {
            throw new IllegalArgumentException("not a " + executorType.getName() + ": " + executor.getClass().getName());
        }
        return (V) Proxy.newProxyInstance(executorType.getClassLoader(), new Class<?>[]{executorType}, new Forwarding(executor));
    }

    /** Forwards every call to the hidden executor; the decision happens in the proxy's advised methods. */
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
