package dev.warden.bootstrap.jvm;

import java.util.concurrent.Callable;

/** Defined by {@link ClassTransformersTest} under the JDK's agent starter's name, in a loader of its own. */
public final class AgentStarterLookalike implements Callable<Object> {

    @Override
    public Object call() {
        return loadClassAndStartAgent();
    }

    private static Object loadClassAndStartAgent() {
        return ClassTransformers.refusalToAdd(new Object(), true);
    }
}
