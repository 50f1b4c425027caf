package dev.warden.bootstrap.jvm;


/** Defined by {@link ClassTransformersTest} under the JDK's agent starter's name, in a loader of its own. */
public final class AgentStarterLookalike implements java.util.function.Function<Object, Object> {

    @Override
    public Object apply(Object instrumentation) {
        return loadClassAndStartAgent(instrumentation);
    }

    private static Object loadClassAndStartAgent(Object instrumentation) {
        return ClassTransformers.refusalToAdd(instrumentation, new Object(), true);
    }
}
