package dev.warden.e2e.host;

import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import javax.management.ObjectName;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * An application's own MBean server ({@code -Djavax.management.builder.initial=} this class), which answers the
 * operations of Warden's agent MBean itself: it claims a challenge and does nothing on a switch. The one way left for
 * an application to stand in for Warden's switches once it can no longer unregister them; the operator's CLI must
 * tell it apart.
 */
public final class ImpostorServerBuilder extends MBeanServerBuilder {

    @Override
    public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
        // Warden's domain as the default one: ":type=Agent" then names Warden's MBean.
        MBeanServer real = super.newMBeanServer("dev.warden", outer, delegate);
        return (MBeanServer) Proxy.newProxyInstance(MBeanServer.class.getClassLoader(), new Class<?>[] {MBeanServer.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("invoke") && arguments[0] instanceof ObjectName name
                            && name.getCanonicalName().equals("dev.warden:type=Agent")) {
                        return "challenge".equals(arguments[1]) ? "00112233445566778899aabbccddeeff " + "ab".repeat(32) : null;
                    }
                    try {
                        return method.invoke(real, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
