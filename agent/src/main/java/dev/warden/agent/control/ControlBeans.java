package dev.warden.agent.control;

import dev.warden.agent.logging.WardenLog;
import dev.warden.bootstrap.Gate;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * Registers {@code dev.warden:type=Agent} and {@code dev.warden:type=Surface,name=...} on the platform
 * MBean server, on a Warden thread: creating the platform server loads the JDK's management classes
 * and initialises java.util.logging, which must neither lengthen the host's start nor run before the
 * host's {@code main} could choose its own log manager. The control key is made and published there too, before
 * the MBeans it opens exist.
 */
public final class ControlBeans {
    public static final String AGENT = "dev.warden:type=Agent";
    public static final String SURFACE = "dev.warden:type=Surface,name=";

    private ControlBeans() {
    }

    /**
     * @param warden the gate's capability, which only the agent holds: host code reaches this public class through
     *               Warden's loader, and must not publish a key of its own nor register a control of its making
     * @param agent  the agent's MBean, given the key its loosening switches take
     */
    public static void registerLater(Gate.Capability warden, Function<SwitchKey, AgentControl> agent, ThreadFactory threads) {
        java.util.Objects.requireNonNull(warden, "the gate's capability");
        threads.newThread(() -> {
            try {
                register(agent.apply(SwitchKey.publish()));
            } catch (RuntimeException | LinkageError e) {
                WardenLog.warn("JMX controls unavailable: " + e);
            }
        }).start();
    }

    static void register(AgentControl agent) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (!isTheJdks(server)) {
                // javax.management.builder.initial: every call to Warden's MBeans passes through the host's code, which
                // sees no key (proofs are single-use and bound to their switch) but could answer a tightening itself.
                WardenLog.warn("the platform MBean server is the application's own (" + server.getClass().getName()
                        + "): calls to Warden's JMX controls pass through its code; prefer a restart to a switch");
            }
            for (Map.Entry<String, SurfaceMXBean> surface : agent.surfaces().entrySet()) {
                server.registerMBean(surface.getValue(), new ObjectName(SURFACE + surface.getKey()));
            }
            server.registerMBean(agent, new ObjectName(AGENT));
        } catch (Exception | LinkageError e) {
            WardenLog.warn("JMX controls unavailable: " + e);
        }
    }

    private static boolean isTheJdks(MBeanServer server) {
        return server.getClass().getClassLoader() == null && server.getClass().getName().equals("com.sun.jmx.mbeanserver.JmxMBeanServer");
    }
}
