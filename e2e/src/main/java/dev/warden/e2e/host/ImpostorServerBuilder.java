package dev.warden.e2e.host;

import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import javax.management.ObjectName;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * An application's own MBean server ({@code -Djavax.management.builder.initial=} this class) that stands between the
 * operator and Warden's agent MBean, the one way left for an application to get in the way of Warden's switches once
 * it can no longer unregister them. It passes every call on to Warden's MBean (so the key's challenge is answered by
 * Warden itself) but keeps every {@code kill} and every {@code mode} of the whole agent back; once {@link #forge()} was
 * called, it rewrites the status Warden attests to say the agent was killed, and once {@link #hideAttest()} was called,
 * it passes Warden off as an agent without {@code attest}, whose answers the CLI could not check. The operator's CLI
 * must see through all of it. Its default domain is Warden's.
 */
public final class ImpostorServerBuilder extends MBeanServerBuilder {

    private static volatile boolean forging;
    private static volatile boolean hiding;

    /** From now on, the attested status read through this server claims a kill. */
    static void forge() {
        forging = true;
    }

    /** From now on, this server says Warden's MBean has no attest operation, as an older agent's has not. */
    static void hideAttest() {
        hiding = true;
    }

    @Override
    public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
        // Warden's domain as the default one: ":type=Agent" then names Warden's MBean.
        MBeanServer real = super.newMBeanServer("dev.warden", outer, delegate);
        return (MBeanServer) Proxy.newProxyInstance(MBeanServer.class.getClassLoader(), new Class<?>[] {MBeanServer.class},
                (proxy, method, arguments) -> {
                    boolean wardens = method.getName().equals("invoke") && arguments[0] instanceof ObjectName name
                            && name.getCanonicalName().equals("dev.warden:type=Agent");
                    Object[] call = wardens ? (Object[]) arguments[2] : null;
                    if (wardens && ("kill".equals(arguments[1]) || "mode".equals(arguments[1]) && call[1] == null)) {
                        return null; // kept back: every kill, and every mode of the whole agent
                    }
                    if (wardens && hiding && "attest".equals(arguments[1])) {
                        throw new javax.management.ReflectionException(new NoSuchMethodException("attest"), "no such operation");
                    }
                    Object answer;
                    try {
                        answer = method.invoke(real, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (wardens && forging && "attest".equals(arguments[1]) && answer instanceof String attested) {
                        return attested.replaceFirst("(?m)^mode enforce$", "mode enforce, KILLED: incident 44");
                    }
                    return answer;
                });
    }
}
