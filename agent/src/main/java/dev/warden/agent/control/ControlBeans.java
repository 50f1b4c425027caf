package dev.warden.agent.control;

import dev.warden.agent.logging.WardenLog;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/**
 * Registers {@code dev.warden:type=Agent} and {@code dev.warden:type=Surface,name=...} on the platform
 * MBean server, on a Warden thread: creating the platform server loads the JDK's management classes
 * and initialises java.util.logging, which must neither lengthen the host's start nor run before the
 * host's {@code main} could choose its own log manager.
 */
public final class ControlBeans {
    public static final String AGENT = "dev.warden:type=Agent";
    public static final String SURFACE = "dev.warden:type=Surface,name=";

    private ControlBeans() {
    }

    public static void registerLater(AgentControl agent, ThreadFactory threads) {
        threads.newThread(() -> register(agent)).start();
    }

    static void register(AgentControl agent) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (Map.Entry<String, SurfaceMXBean> surface : agent.surfaces().entrySet()) {
                server.registerMBean(surface.getValue(), new ObjectName(SURFACE + surface.getKey()));
            }
            server.registerMBean(agent, new ObjectName(AGENT));
        } catch (Exception | LinkageError e) {
            WardenLog.warn("JMX controls unavailable: " + e);
        }
    }
}
