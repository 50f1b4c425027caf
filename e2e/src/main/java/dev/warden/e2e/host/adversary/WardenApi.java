package dev.warden.e2e.host.adversary;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * Warden's public classes as any code in the JVM sees them: the agent puts them on the boot class
 * path, so {@code Class.forName} finds them. This host calls them by name, and only what is public
 * ({@code getMethods}, {@code getConstructors}; never {@code setAccessible}, never a private field):
 * exactly what a host compiled against those classes could call directly. A class, method or
 * constructor that does not exist (any more) makes the technique {@link Unavailable}.
 */
final class WardenApi {

    static final String GATE = "dev.warden.bootstrap.Gate";
    static final String CALL_DEPTH = "dev.warden.bootstrap.CallDepth";
    static final String CONTEXT = "dev.warden.bootstrap.WardenContext";
    static final String JDBC_ACTIONS = "dev.warden.bootstrap.jdbc.JdbcActions";
    static final String HTTP_ACTIONS = "dev.warden.bootstrap.http.HttpActions";
    static final String OUTBOUND_REQUEST = "dev.warden.bootstrap.http.OutboundRequest";
    static final String RESENT_REQUESTS = "dev.warden.bootstrap.http.ResentRequests";
    static final String ACTION_SCOPE = "dev.warden.bootstrap.ActionScope";
    static final String MODEL_ACTIONS = "dev.warden.bootstrap.langchain4j.ModelActions";

    /** The public API a technique needs is not there: the technique cannot even be tried. */
    static final class Unavailable extends Exception {
        Unavailable(String what) {
            super(what);
        }
    }

    private WardenApi() {
    }

    static Class<?> type(String name) throws Unavailable {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new Unavailable("no class " + name);
        }
    }

    /**
     * Warden's own class loader (its engine's and its libraries'), as any code finds it through public JDK API: the
     * loader of the class of one of Warden's live threads.
     */
    static ClassLoader agentLoader() throws Unavailable {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            ClassLoader loader = thread.getClass().getClassLoader();
            if (thread.getName().startsWith("warden-") && loader != null && loader != ClassLoader.getSystemClassLoader()) {
                return loader;
            }
        }
        throw new Unavailable("no Warden thread of a class of Warden's loader");
    }

    /** A public static method of a class in Warden's own loader ({@link #agentLoader}). */
    static Object callAgentStatic(String className, String method, Object... arguments) throws Throwable {
        Class<?> type;
        try {
            type = Class.forName(className, true, agentLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new Unavailable("no class " + className + " in Warden's loader");
        }
        return invoke(find(type.getMethods(), method, true, arguments), null, arguments);
    }

    /** A public enum constant or static field of a class in Warden's own loader. */
    static Object agentConstant(String className, String name) throws Unavailable {
        try {
            return Class.forName(className, true, agentLoader()).getField(name).get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new Unavailable("no public " + className + "." + name + " in Warden's loader");
        }
    }

    static Object callStatic(String className, String method, Object... arguments) throws Throwable {
        return invoke(find(type(className).getMethods(), method, true, arguments), null, arguments);
    }

    static Object call(Object target, String method, Object... arguments) throws Throwable {
        return invoke(find(target.getClass().getMethods(), method, false, arguments), target, arguments);
    }

    static Object construct(String className, Object... arguments) throws Throwable {
        Constructor<?> constructor = (Constructor<?>) find(type(className).getConstructors(), "<init>", false, arguments);
        try {
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A public enum constant or static field, e.g. {@code Outcome.PERMIT}, {@code Obligations.NONE}. */
    static Object constant(String className, String name) throws Unavailable {
        try {
            return type(className).getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new Unavailable("no public " + className + "." + name);
        }
    }

    /**
     * A permit-everything engine implementing Warden's engine interface, whatever its methods: every
     * decision is a PERMIT built through the decision type's public constructor.
     */
    static Object permitAllEngine() throws Throwable {
        Class<?> engineType = type(GATE + "$Engine");
        Object permit = permit();
        return Proxy.newProxyInstance(WardenApi.class.getClassLoader(), new Class<?>[] {engineType},
                (proxy, method, arguments) -> {
                    switch (method.getName()) {
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == arguments[0];
                        case "toString":
                            return "the host's own engine";
                        default:
                            return method.getReturnType().isInstance(permit) ? permit : null;
                    }
                });
    }

    private static Object permit() throws Throwable {
        Object outcome = constant("dev.warden.bootstrap.Outcome", "PERMIT");
        Object none = constant("dev.warden.bootstrap.Obligations", "NONE");
        return construct("dev.warden.bootstrap.Decision", outcome, true, List.of("host.engine"),
                "permitted by the host's own engine", null, none);
    }

    private static Executable find(Executable[] candidates, String name, boolean wantStatic, Object[] arguments)
            throws Unavailable {
        for (Executable candidate : candidates) {
            boolean named = candidate instanceof Constructor || candidate.getName().equals(name);
            boolean isStatic = Modifier.isStatic(candidate.getModifiers());
            if (named && (candidate instanceof Constructor || isStatic == wantStatic)
                    && Modifier.isPublic(candidate.getModifiers()) && accepts(candidate.getParameterTypes(), arguments)) {
                return candidate;
            }
        }
        throw new Unavailable("no public " + name + " taking " + arguments.length + " such arguments");
    }

    private static boolean accepts(Class<?>[] parameters, Object[] arguments) {
        if (parameters.length != arguments.length) {
            return false;
        }
        for (int i = 0; i < parameters.length; i++) {
            Class<?> parameter = parameters[i].isPrimitive() ? boxed(parameters[i]) : parameters[i];
            if (arguments[i] == null ? parameters[i].isPrimitive() : !parameter.isInstance(arguments[i])) {
                return false;
            }
        }
        return true;
    }

    private static Class<?> boxed(Class<?> primitive) {
        if (primitive == int.class) {
            return Integer.class;
        }
        if (primitive == long.class) {
            return Long.class;
        }
        if (primitive == boolean.class) {
            return Boolean.class;
        }
        return Object.class;
    }

    private static Object invoke(Executable executable, Object target, Object[] arguments) throws Throwable {
        try {
            return ((Method) executable).invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Calls a switch and says how it went: {@code switch=OK}, {@code switch=UNAVAILABLE(...)} (the
     * public API is gone), {@code switch=REFUSED(...)} (it threw). The returned object, if any, is
     * passed to {@code then}.
     */
    static String trySwitch(SwitchCall call) {
        try {
            Object result = call.run();
            return "switch=OK" + (result == null ? "" : "(" + result + ")");
        } catch (Unavailable e) {
            return "switch=UNAVAILABLE(" + e.getMessage() + ")";
        } catch (Throwable e) {
            return "switch=REFUSED(" + e + ")";
        }
    }

    @FunctionalInterface
    interface SwitchCall {
        Object run() throws Throwable;
    }
}
